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

__all__ = list(_CHAPTERS)


def __getattr__(name: str):
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlib.widgets' has no attribute {name!r}")
