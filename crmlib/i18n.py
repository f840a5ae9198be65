"""The suite's two languages: English (the default, the authored source) and Chinese (中文).

A notebook states its language at the top, once::

    from crmlib import i18n
    i18n.set_language("zh")          # the Chinese edition; English needs no statement

Nothing is read or set at import time: until a notebook (or a test, with the context manager
:func:`language`) says otherwise, every text is English. What a student reads from the library
— figure titles, axes and legends, widget labels and readouts, check messages and hints, the
labels of displayed tables — goes through :func:`gettext` (alias ``_``) *when it is shown*, and
is looked up in the gettext catalogue ``crmlib/locale/<lang>/LC_MESSAGES/crmlib.po``. Strings
defined at import time (registries, tables of principles) are only *marked* with :func:`N_` and
translated where they are displayed, so the language can change after import.

The catalogue is a standard gettext ``.po`` file (read with Babel), made and updated by
``python tools/i18n.py extract``; the notebooks' own catalogues live in ``locale/zh/`` beside
the project (see ``docs/TRANSLATING.md``). A message missing from the catalogue, or marked fuzzy
there, is shown in English — the tests keep the catalogue complete.

Numbers are written the same way in both editions (digits, ``%``); money is written with the
unit the English text uses (元, yuan, dollars), so a number in a Chinese sentence can always be
checked against the English one.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "NP_",
    "N_",
    "current_language",
    "gettext",
    "label",
    "language",
    "ngettext",
    "pgettext",
    "set_language",
    "translate_frame",
]

#: The languages of the suite: code -> name in that language.
LANGUAGES = {"en": "English", "zh": "中文"}

_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("crmlib_language", default="en")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _check(lang: object) -> str:
    if not isinstance(lang, str) or lang not in LANGUAGES:
        allowed = ", ".join(repr(code) for code in LANGUAGES)
        raise ValueError(f"lang must be one of {allowed}; got {lang!r}")
    return lang


def set_language(lang: str) -> str:
    """Use ``lang`` ("en" or "zh") for every text the library shows from now on; return it.

    In a Jupyter kernel the Chinese setting also labels displayed pandas tables in Chinese
    (DataFrames, Series and styled tables: column names, index names and word-valued labels
    found in the catalogue; the data are not changed). ``set_language("en")`` undoes that.

    >>> set_language("zh")
    'zh'
    >>> gettext("retention rate")
    '客户保持率'
    >>> set_language("en")
    'en'
    """
    _LANGUAGE.set(_check(lang))
    _install_table_display(lang)
    return lang


def current_language() -> str:
    """The language in use: "en" unless :func:`set_language` or :func:`language` said otherwise."""
    return _LANGUAGE.get()


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Use ``lang`` inside a ``with`` block, then go back to the language before it.

    >>> with language("zh"):
    ...     print(gettext("retention rate"))
    客户保持率
    >>> gettext("retention rate")
    'retention rate'
    """
    token = _LANGUAGE.set(_check(lang))
    try:
        yield lang
    finally:
        _LANGUAGE.reset(token)


@functools.cache
def _catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr of the library catalogue ``crmlib/locale/<lang>/LC_MESSAGES/crmlib.po``.

    Only translated, non-fuzzy entries count.
    """
    table: dict[str, str] = {}
    path = _LOCALE_DIR / lang / "LC_MESSAGES" / "crmlib.po"
    if not path.exists():
        return table
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):  # plural forms: keep singular and plural keys
            forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if all(forms):
                table[message.id[0]] = forms[0]
                table[message.id[1]] = forms[-1]
        elif message.string:
            key = message.id if not message.context else f"{message.context}\x04{message.id}"
            table[key] = message.string
    return table


def gettext(message: str) -> str:
    """``message`` in the current language (itself in English, or when no translation exists).

    >>> with language("zh"):
    ...     print(gettext("retention rate"))
    客户保持率
    """
    if not isinstance(message, str):
        raise TypeError(f"message must be a str; got {type(message).__name__} {message!r}")
    lang = _LANGUAGE.get()
    if lang == "en":
        return message
    return _catalog(lang).get(message, message)


_ = gettext


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, as meant in ``context`` (gettext's msgctxt).

    For a word with two meanings in the suite — "events" of a survival table (事件数) and of an
    exhibition calendar (活动) — the catalogue holds one entry per context; without one for
    ``context`` the plain entry is used.
    """
    if not isinstance(context, str):
        raise TypeError(f"context must be a str; got {type(context).__name__} {context!r}")
    if not isinstance(message, str):
        raise TypeError(f"message must be a str; got {type(message).__name__} {message!r}")
    lang = _LANGUAGE.get()
    if lang == "en":
        return message
    table = _catalog(lang)
    return table.get(f"{context}\x04{message}", table.get(message, message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for ``count``, in the current language.

    Chinese has one form, so in the Chinese edition both keys lead to the same text.

    >>> ngettext("{count} customer", "{count} customers", 2).format(count=2)
    '2 customers'
    """
    from crmlib import _validate

    count = _validate.integer("count", count, minimum=0)
    return gettext(singular if count == 1 else plural)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (translate where it is shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` for the catalogue under ``context`` (see :func:`pgettext`); returns ``message``.

    A table whose labels are marked this way says so with ``frame.attrs["i18n_context"] = context``,
    and :func:`translate_frame` looks its labels up in that context first.
    """
    return message


def label(value: object, context: str | None = None) -> object:
    """A table label in the current language: strings found in the catalogue are translated.

    Anything else (numbers, dates, strings not in the catalogue) comes back unchanged, so
    labels can be passed through without checking their type.

    >>> with language("zh"):
    ...     print(label("retention rate"), label(3))
    客户保持率 3
    """
    if isinstance(value, str):
        text = gettext(value) if context is None else pgettext(context, value)
        if text == value and _LANGUAGE.get() != "en":
            return _joined_label(value, context)
        return text
    if isinstance(value, tuple):
        return tuple(label(v, context) for v in value)
    return value


_SEPARATORS = (" → ", ", ")


def _joined_label(value: str, context: str | None) -> str:
    """A label the library built by joining labels ("confirmation → weakening", "sales, service").

    Translated piece by piece, and joined as the language joins a list (", " is "、" in Chinese),
    only when every piece is a label of the catalogue; anything else comes back unchanged.
    """
    for sep in _SEPARATORS:
        if sep in value:
            pieces = value.split(sep)
            shown = [label(p, context) for p in pieces]
            if all(isinstance(t, str) and t != p for t, p in zip(shown, pieces, strict=True)):
                return gettext(sep).join(shown)
            return value
    return value


def translate_frame(frame):
    """A copy of a pandas DataFrame/Series whose labels and word-valued cells are in the current language.

    Column names, index names and values, and string cells found in the catalogue are
    translated; numbers are not touched. Columns listed in ``frame.attrs["untranslated"]`` keep
    their cells (the glossary's English column stays English); columns listed in
    ``frame.attrs["english_only"]`` (the Chinese beside an English column) are left out; labels are looked up in the
    context ``frame.attrs["i18n_context"]`` first when the frame names one (see :func:`NP_`). In
    English the frame itself is returned.
    """
    import pandas as pd

    if _LANGUAGE.get() == "en":
        return frame
    if not isinstance(frame, pd.DataFrame | pd.Series):
        raise TypeError(f"frame must be a pandas DataFrame or Series; got {type(frame).__name__}")
    context = frame.attrs.get("i18n_context")
    out = frame.copy()
    out.index = _translate_index(out.index, context)
    if isinstance(out, pd.DataFrame):
        # columns that give the Chinese beside an English column: once that column is shown in
        # Chinese they would say the same thing twice
        out = out.drop(columns=[c for c in frame.attrs.get("english_only", ()) if c in out.columns])
        keep = set(frame.attrs.get("untranslated", ()))
        for col in list(out.columns):
            if col in keep:
                continue
            if _wordy(out[col].dtype) or pd.api.types.is_bool_dtype(out[col].dtype):
                out[col] = out[col].astype(object).map(lambda v: _cell(v, context))
        out.columns = _translate_index(out.columns, context)
    else:
        out.name = label(out.name, context)
        if _wordy(out.dtype) or pd.api.types.is_bool_dtype(out.dtype):
            out = out.astype(object).map(lambda v: _cell(v, context))
    return out


_TRUTH = {True: NP_("truth value", "True"), False: NP_("truth value", "False")}


def _cell(value: object, context: str | None = None) -> object:
    """A table cell in the current language: words as :func:`label`, truth values as 是 / 否."""
    if type(value).__name__ in ("bool", "bool_"):  # Python and numpy truth values
        return pgettext("truth value", _TRUTH[bool(value)])
    return label(value, context)


def _wordy(dtype) -> bool:
    """Whether values of ``dtype`` may be words: object, string (pandas' "str") or categorical."""
    import pandas as pd

    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def _translate_index(index, context: str | None = None):
    import pandas as pd

    names = [label(name, context) for name in index.names]
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([label(t, context) for t in index], names=names)
    if _wordy(index.dtype):
        return pd.Index([label(v, context) for v in index], name=names[0])
    return index.rename(names[0])


def _install_table_display(lang: str) -> None:
    """In IPython, show pandas tables through :func:`translate_frame` (Chinese) or plainly (English)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the library runs without IPython
        return
    shell = get_ipython()
    if shell is None:
        return
    import pandas as pd
    from pandas.io.formats.style import Styler

    html = shell.display_formatter.formatters["text/html"]
    plain = shell.display_formatter.formatters["text/plain"]
    for kind in (pd.DataFrame, pd.Series):
        html.pop(kind, None)
        plain.pop(kind, None)
    html.pop(Styler, None)
    if lang == "en":
        return

    def to_html(obj):
        shown = translate_frame(obj)
        return shown._repr_html_() if hasattr(shown, "_repr_html_") else None

    def to_plain(obj, printer, cycle):
        printer.text(repr(translate_frame(obj)))

    def styler_html(styler):
        # a styled table (hidden index, formats) keeps its styling; only its labels and cells change
        shown = copy.copy(styler)
        shown.data = translate_frame(styler.data)
        shown.index, shown.columns = shown.data.index, shown.data.columns
        return shown._repr_html_()

    for kind in (pd.DataFrame, pd.Series):
        html.for_type(kind, to_html)
        plain.for_type(kind, to_plain)
    html.for_type(Styler, styler_html)


def locale_dir() -> Path:
    """The folder of the library's catalogues (``crmlib/locale``)."""
    return _LOCALE_DIR
