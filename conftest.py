"""pytest set-up shared by the unit tests and the doctests of crmlib.

Figures are drawn off-screen (Agg) with the suite's notebook style, as in the notebooks, so
widget tests render Chinese labels with the CJK font instead of warning about missing glyphs.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _notebook_plot_style():
    import matplotlib

    matplotlib.use("Agg")
    from crmlib import plotting

    with matplotlib.rc_context():
        plotting.use_style()
        yield
