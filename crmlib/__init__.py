"""crmlib: customer relationship management models for teaching and research.

One module per chapter of the course, plus cross-cutting helpers:

==================  =====================================================
``crm``             chapter 0: what CRM is (record linkage, segments, prospect value)
``value``           retention-based customer value (CLV, margin multiple, lift)
``churn``           churn models and their validation (AUC, gains, calibration, offers)
``stats``           shared statistics (proportion intervals, reliability, ...)
``results``         the result protocol of every fitted model
``pls``             the PLS-SEM assessment of a PLS path model (chapter 1)
``datasets``        loaders and metadata for the data in ``datasets/``
``glossary``        the bilingual (English / 中文) glossary of key terms
``i18n``            the two languages: ``set_language("zh")`` for the Chinese edition
``plotting``        the style, the axis helper and one figure module per chapter
``widgets``         thin ipywidgets views over the chapter functions
``checks``          friendly answer checks for the exercise notebooks
==================  =====================================================

Importing :mod:`crmlib` is cheap and changes no global state: no rcParams,
no random seeds, no warning filters. Sub-modules are imported on first
attribute access (``crmlib.clv``) or explicitly (``from crmlib import clv``).
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

_SUBMODULES = (
    "checks",
    "churn",
    "clv",
    "crm",
    "datasets",
    "glossary",
    "i18n",
    "lifecycle",
    "loyalty",
    "plotting",
    "pls",
    "results",
    "satisfaction",
    "stats",
    "switching",
    "value",
    "waiting",
    "widgets",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlib' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
