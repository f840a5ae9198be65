"""Shared helpers of the per-chapter registry tests (tests/test_checks_chNN.py)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat


def solution_namespace(solution: Path) -> dict:
    """The names a solution notebook defines, from running its code cells top to bottom (check cells left out)."""
    namespace: dict = {}
    notebook = nbformat.read(solution, as_version=4)
    with contextlib.redirect_stdout(io.StringIO()):
        for i, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and "check" not in cell.metadata.get("tags", []):
                exec(compile(cell.source, f"{solution.name} cell {i}", "exec"), namespace)
    return namespace


def hint_of(result) -> str:
    """The hint part of a check's message (empty when there is none)."""
    return result.message.split("hint:", 1)[1].strip() if "hint:" in result.message else ""


def find_slip(entries: dict, exercise_id: str, words: str):
    """The one slip of ``exercise_id`` whose hint contains ``words``."""
    found = [s for s in entries[exercise_id].slips if words in s.hint]
    assert len(found) == 1, f"{exercise_id}: {len(found)} slips mention {words!r}"
    return found[0]


def assert_check_cells_name_every_entry_once(solution: Path, entries: dict) -> None:
    """Every check cell holds only ``checks.exercise("id", variable)`` lines naming registry entries, each once."""
    ids = []
    for cell in nbformat.read(solution, as_version=4).cells:
        if "check" in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                ex_id, variable = line.removeprefix('checks.exercise("').removesuffix(")").split('", ')
                assert line == f'checks.exercise("{ex_id}", {variable})'
                assert entries[ex_id].variable == variable
                ids.append(ex_id)
    assert sorted(ids) == sorted(entries)
    assert len(ids) == len(set(ids))
