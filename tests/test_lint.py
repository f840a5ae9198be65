"""ruff (lint + format, configured in pyproject.toml) passes on the library, the tests and the tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["crmlib", "tests", "tools", "benchmarks", "exercises/make_student.py", "suite.py", "conftest.py"]


def _ruff() -> list[str]:
    exe = Path(sys.executable).parent / "ruff"
    found = str(exe) if exe.exists() else shutil.which("ruff")
    if not found:
        pytest.fail(
            "ruff is not installed: it is in the test extra of pyproject.toml (python3 suite.py test installs it)"
        )
    return [found]


def test_ruff_lint_passes():
    out = subprocess.run(
        [*_ruff(), "check", "--output-format", "concise", *TARGETS], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_ruff_format_is_applied():
    out = subprocess.run([*_ruff(), "format", "--check", *TARGETS], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, "run `.venv/bin/ruff format`:\n" + out.stdout[-4000:]
