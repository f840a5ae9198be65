"""Thin ipywidgets views over the chapter functions, one sub-module per chapter.

Every builder *returns* a widget (it never displays itself), so tests can build it
without a browser, move a slider and check that the output follows the pure function.
Slider defaults come from the same defaulting constructors as the chapter's records, so
the static call that precedes each widget cell in a notebook shows the same numbers.

Sub-modules: ``crmlib.widgets.crm``, ``.satisfaction``, ``.loyalty``, ``.clv``, ``.switching``, ``.waiting``,
``.lifecycle``.
"""

from __future__ import annotations

import importlib

_CHAPTERS = ("crm", "satisfaction", "loyalty", "clv", "switching", "waiting", "lifecycle")

__all__ = [*_CHAPTERS, "show_figure", "readout_text", "slider"]


def slider(value, lo, hi, step, description: str, *, integer: bool = False, continuous_update: bool = False, **kwargs):
    """A slider as the chapter widgets use them: updates when released (one evaluation per move).

    ``integer`` makes an ``IntSlider`` (else a ``FloatSlider``); ``kwargs`` (``style``, ``layout``,
    ``readout_format`` …) go to ipywidgets unchanged.

    >>> s = slider(0.8, 0.5, 0.95, 0.01, "retention r")
    >>> type(s).__name__, s.value, s.max, s.continuous_update
    ('FloatSlider', 0.8, 0.95, False)
    """
    import ipywidgets as widgets

    kind = widgets.IntSlider if integer else widgets.FloatSlider
    return kind(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=continuous_update,
        **kwargs,
    )


def show_figure(output, fig, *, dpi: float | None = None) -> None:
    """Replace the content of an ``ipywidgets.Output`` by ``fig`` rendered once as PNG.

    The figure is drawn a single time (its own layout engine, no tight bounding box), which
    is about a quarter faster than ``display(fig)`` through the inline backend, and the
    Output's state is set directly: no flicker, and nothing is printed outside a notebook.
    Works in JupyterLab, Voila and the static HTML export (the PNG is in the widget state).

    Parameters
    ----------
    output : ipywidgets.Output
        Where the figure goes.
    fig : matplotlib.figure.Figure
        A figure that is not registered with pyplot (so no stray copy appears in a cell).
    dpi : float, optional
        Resolution in dots per inch (default: the figure's own).
    """
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi if dpi is not None else fig.dpi)
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    output.outputs = (
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": png, "text/plain": f"<Figure size {fig.bbox.width:.0f}x{fig.bbox.height:.0f}>"},
        },
    )


def readout_text(readout) -> str:
    """The plain-text form of a widget readout, for ``print`` in a notebook cell.

    The readouts (``w.readout.value``, ``clv_readout(...)`` and the other ``*_readout``
    functions) are HTML meant for an ``ipywidgets.HTML``; printed as they are, a reader sees
    their tags. This keeps the words and numbers: ``<br>`` and block ends become new lines,
    a spacing ``&nbsp;`` between two items becomes ``" | "``, other tags are dropped and
    entities decoded.

    Parameters
    ----------
    readout : str or widget
        The HTML string, the readout widget (``w.readout``) or the widget box holding it (``w``).

    Examples
    --------
    >>> print(readout_text("<b>SV</b> = 310.0 yuan &nbsp; <b>CV</b> = 360.0 yuan<br><b>decision:</b> stay"))
    SV = 310.0 yuan | CV = 360.0 yuan
    decision: stay
    >>> readout_text("<b>Dick &amp; Basu:</b> loyalty")
    'Dick & Basu: loyalty'
    """
    import html
    import re

    value = getattr(readout, "readout", readout)
    value = getattr(value, "value", value)
    if not isinstance(value, str):
        raise TypeError(f"expected the readout HTML or a widget with a readout, got {type(readout).__name__}")
    text = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|tr|h[1-6])\s*>", "\n", value)
    text = re.sub(r"(?i)\s+&nbsp;\s+", " | ", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def __getattr__(name: str):
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlib.widgets' has no attribute {name!r}")
