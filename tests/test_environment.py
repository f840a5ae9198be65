"""pyproject.toml is the single source of the requirements; environment.yml must agree with it,
and the running environment must satisfy it (the guide's rule: keep both files in agreement)."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import suite  # noqa: E402  (the repository's bootstrap script)


def _pyproject_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = project["dependencies"] + [r for extra in suite.EXTRAS for r in project["optional-dependencies"][extra]]
    return {Requirement(r).name.lower(): Requirement(r) for r in reqs}


def _conda_spec(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", text.strip())
    assert m, f"cannot parse environment.yml entry {text!r}"
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_yml_is_generated_from_pyproject():
    committed = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert committed == suite.environment_yml(), (
        "environment.yml is out of date with pyproject.toml: run `python3 suite.py env`"
    )


def test_environment_yml_lists_the_same_packages_and_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    conda = dict(_conda_spec(d) for d in deps if isinstance(d, str))
    pip = [d for d in deps if isinstance(d, dict)][0]["pip"]
    pip_specs = dict(_conda_spec(d) for d in pip if d != "-e .")
    listed = {**conda, **pip_specs}
    listed.pop("pip")
    python = listed.pop("python")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert python == project["requires-python"]
    wanted = {name: str(req.specifier) for name, req in _pyproject_requirements().items()}
    assert set(listed) == set(wanted), (
        f"only in environment.yml: {set(listed) - set(wanted)}; only in pyproject: {set(wanted) - set(listed)}"
    )
    for name, spec in wanted.items():
        assert sorted(listed[name].split(",")) == sorted(spec.split(",")), f"{name}: {listed[name]} vs {spec}"
    assert "-e ." in pip, "environment.yml must install crmlib itself"


@pytest.mark.parametrize("name", sorted(_pyproject_requirements()))
def test_running_environment_satisfies_requirement(name):
    req = _pyproject_requirements()[name]
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{req.name} is required by pyproject.toml but not installed")
    assert req.specifier.contains(version, prereleases=True), f"{req.name} {version} does not satisfy {req}"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)?\n(python3 suite\.py test)\n```", readme)
    assert commands, "README.md must show the test command in a code block"
    assert any(line.strip() == commands[0] for line in ci.splitlines()), ".ci/run must run the README's test command"
    assert re.search(r"```(?:bash|sh)?\npython3 suite\.py lab\n```", readme), "README.md must show the open command"
