"""Shared helpers of the per-chapter registry tests (tests/test_checks_chNN.py)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat


def solution_namespace(solution: Path) -> dict:
    """The names a solution notebook defines, from running its code cells top to bottom (check cells left out)."""
    from IPython.display import display

    namespace: dict = {"display": display}  # a kernel's builtin, which notebooks may call
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


def assert_solution_equals_registry(namespace: dict, entries: dict, *, rel_tol: float = 1e-9) -> None:
    """Each registry reference equals what the solution notebook computed, and the solution passes.

    Written answers are only "answered"; functions are compared on the entry's cases; labels and
    choices exactly (a label sequence element by element); numbers, arrays and frames to ``rel_tol``.
    """
    import math

    import numpy as np
    import pandas as pd

    from crmlib import checks
    from crmlib.checks import registry

    for ex_id, entry in entries.items():
        answer = namespace[entry.variable]
        if entry.kind == "written":
            assert checks.exercise(ex_id, answer, echo=False).status == "answered", ex_id
            continue
        if entry.kind == "function":
            for case in entry.cases:
                assert math.isclose(answer(*case), entry.reference(*case), rel_tol=rel_tol), (ex_id, case)
        else:
            ref = registry.reference(entry)
            if entry.kind in ("choice", "label"):
                assert list(np.atleast_1d(answer)) == list(np.atleast_1d(ref)), (ex_id, answer, ref)
            elif entry.kind == "frame":
                pd.testing.assert_frame_equal(answer, ref, rtol=rel_tol)
            elif entry.kind == "array":
                np.testing.assert_allclose(np.asarray(answer, float), np.asarray(ref, float), rtol=rel_tol)
            else:
                assert math.isclose(float(answer), float(ref), rel_tol=rel_tol, abs_tol=1e-12), (ex_id, answer, ref)
        assert checks.exercise(ex_id, answer, echo=False).status == "passed", ex_id
