"""Example calls of crmlib.i18n for the convention tests (see tests/api_examples.py)."""

from __future__ import annotations

import pandas as pd
from api_examples import Example

EXAMPLES = {
    "crmlib.i18n.gettext": Example(dict(message="retention rate")),
    "crmlib.i18n.ngettext": Example(dict(singular="{count} customer", plural="{count} customers", count=2)),
    "crmlib.i18n.N_": Example(dict(message="retention rate")),
    "crmlib.i18n.NP_": Example(dict(context="survival", message="events")),
    "crmlib.i18n.pgettext": Example(dict(context="survival", message="events")),
    "crmlib.i18n.translate_frame": Example(dict(frame=lambda: pd.DataFrame({"retention rate": [0.8]}))),
}

NO_SWEEP = {
    "crmlib.i18n.set_language": "takes a language code, no number; changing it would leak into later tests",
    "crmlib.i18n.language": "a context manager taking a language code, no number",
    "crmlib.i18n.current_language": "no arguments",
    "crmlib.i18n.locale_dir": "no arguments",
    "crmlib.i18n.label": "passes any value through by design (strings are translated, the rest comes back unchanged)",
}
