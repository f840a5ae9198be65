"""Thin ipywidgets views over the chapter functions, one sub-module per chapter.

Every builder *returns* a widget (it never displays itself), so tests can build it
without a browser, move a slider and check that the output follows the pure function.
Slider defaults come from the same defaulting constructors as the chapter's records, so
the static call that precedes each widget cell in a notebook shows the same numbers.

Sub-modules: ``crmlib.widgets.satisfaction``, ``.loyalty``, ``.clv``, ``.switching``, ``.waiting``.
"""
from __future__ import annotations

import importlib

_CHAPTERS = ("satisfaction", "loyalty", "clv", "switching", "waiting")

__all__ = [*_CHAPTERS, "show_figure"]


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
    output.outputs = ({"output_type": "display_data", "metadata": {},
                       "data": {"image/png": png, "text/plain": f"<Figure size {fig.bbox.width:.0f}x{fig.bbox.height:.0f}>"}},)


def __getattr__(name: str):
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlib.widgets' has no attribute {name!r}")
