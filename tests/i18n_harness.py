"""Shared helpers of the chapter tests of the Chinese edition (tests/test_i18n_chNN.py)."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
BRACES = re.compile(r"\{[^{}]*\}")


def chinese(text) -> bool:
    return bool(CJK.search(str(text)))


def numbers(text: str) -> list[str]:
    """The numbers a reader sees, sorted (a translation may put them in another order)."""
    return sorted(NUMBER.findall(text))


def _texts(ax) -> list[str]:
    """Every text a reader sees on a matplotlib axis: title, labels, annotations, tick labels, legend."""
    legend = ax.get_legend()
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    out += [t.get_text() for t in ax.get_xticklabels()]
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def built_in_both_languages(build):
    """A widget built by ``build()`` in English and in Chinese (glyph warnings off: no style set here)."""
    import warnings

    from crmlib import i18n

    english = build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            zh = build()
    return english, zh


def assert_readout_and_axes_follow_the_language(english, zh, readout) -> None:
    """The Chinese widget's readout is Chinese with the English numbers and is ``readout(result)``,
    formatted once in each language; its figure's axis labels are Chinese and the English ones English."""
    from crmlib import i18n

    assert chinese(zh.readout.value) and zh.readout.value != english.readout.value
    assert numbers(zh.readout.value) == numbers(english.readout.value), (zh.readout.value, english.readout.value)
    with i18n.language("zh"):
        assert zh.readout.value == readout(zh.result)  # the readout formats the one evaluation, in Chinese
    assert english.readout.value == readout(english.result)  # and English stays English after it
    labels = {
        lang: [t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t]
        for lang, fig in (("en", english.figure), ("zh", zh.figure))
    }
    assert labels["zh"] and all(chinese(t) for t in labels["zh"]), labels
    assert all(re.search(r"[a-z]{4,}", t) for t in labels["en"]) and not set(labels["en"]) & set(labels["zh"])
