"""The plotting layer: the notebook style, the one axis helper, and one figure module per chapter.

Models never import this package; the figures import the models they draw. Each chapter's
``plot_*`` functions live in ``crmlib.plotting.<chapter>`` (``plotting.crm``, ``plotting.clv``,
``plotting.satisfaction``, ...); each takes ``ax=None`` and returns the axis it drew on.

Call :func:`use_style` once in a notebook's set-up cell. It is the only function in
crmlib that changes matplotlib's global settings; importing crmlib changes none.

Chinese glyphs come from Noto Sans CJK SC (SIL Open Font Licence), shipped on PyPI by
the ``mplfonts`` package, or from any Noto/Source Han/WenQuanYi font matplotlib already
knows. Where none can be found the style falls back quietly to DejaVu Sans: Chinese
characters then show as boxes, but no warning per glyph floods the notebook.
"""

from __future__ import annotations

import importlib
import logging
import warnings
from functools import lru_cache
from pathlib import Path

_CHAPTERS = ("crm", "satisfaction", "loyalty", "clv", "switching", "churn", "waiting", "lifecycle")

__all__ = ["PALETTE", "axes", "cjk_font", "use_style", *_CHAPTERS]

#: Colour-blind-safe palette (Okabe & Ito 2008), used for the chapter figures.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of a font family with Chinese glyphs known to matplotlib, or ``None``.

    Registers ``NotoSansCJKsc-Regular.otf`` from the ``mplfonts`` package (SIL OFL) when
    that package is installed; otherwise looks for a CJK family already installed.
    """
    from matplotlib import font_manager

    try:
        import mplfonts  # noqa: F401  (only its bundled font file is used)

        path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    except Exception:  # pragma: no cover - mplfonts missing or broken: fall back quietly
        pass
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FAMILIES if name in known), None)


def use_style(*, font_size: float = 11.0) -> str | None:
    """Set the suite's matplotlib style for notebooks; return the CJK font used (or None).

    Sets a clean white grid, the :data:`PALETTE` colour cycle, figure size 7.5 x 4.2
    inches at 100 dpi, and a font chain ``DejaVu Sans`` -> CJK font, so Latin text keeps
    its usual look and Chinese characters render. Missing-glyph warnings are silenced in
    matplotlib's logger and warning filter only for those messages.
    """
    import matplotlib as mpl
    from cycler import cycler

    font = cjk_font()
    families = ["DejaVu Sans"] + ([font] if font else [])
    mpl.rcParams.update(
        {
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": font_size,
            "font.family": families,  # matplotlib falls back glyph by glyph along this list
            "axes.unicode_minus": False,
            "axes.grid": True,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "grid.alpha": 0.3,
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "legend.frameon": False,
            "figure.autolayout": False,
            "figure.constrained_layout.use": True,
            "svg.hashsalt": "crmlib",
            "pdf.fonttype": 42,
        }
    )
    if font is None:
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from (current )?font")
    return font


def axes(ax=None, *, figsize: tuple[float, float] | None = None):
    """The axis to draw on: ``ax`` itself, or a new figure's single axis when ``ax`` is None.

    The one place where crmlib's figure functions create a figure (through pyplot, so that a
    notebook shows it). ``figsize`` in inches applies only to a new figure.
    """
    if ax is not None:
        if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
            raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new


def __getattr__(name: str):
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlib.plotting' has no attribute {name!r}")
