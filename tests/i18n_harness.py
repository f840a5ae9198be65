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
