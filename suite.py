#!/usr/bin/env python3
"""One entry point for the CRM teaching suite; needs only Python >= 3.10 and pip.

    python3 suite.py lab     open the suite: JupyterLab on notebooks/00_start_here.ipynb
    python3 suite.py lab --lang zh   the Chinese edition (中文版): notebooks/zh/00_start_here.ipynb
    python3 suite.py test    run every test (unit, doctest, notebooks, exercises, browser)
    python3 suite.py env     rewrite environment.yml from pyproject.toml

    python3 suite.py check exercises/03_customer_lifetime_value.ipynb [--timeout 60]
                             a student's report: which exercises pass (the notebook is not changed)
    python3 suite.py grade SUBMISSIONS_DIR [--out DIR] [--timeout 60]
                             a lecturer's grading: grades.csv + feedback per student (docs/GRADING.md)
    python3 suite.py slides 03      present chapter 3: offline slides + its live widget dashboard
    python3 suite.py dashboard 03   chapter 3's widgets as a Voila dashboard on 127.0.0.1
    python3 suite.py site           an offline HTML copy of every notebook in site/
    python3 suite.py translate status|extract|build|check
                             the Chinese edition: gettext catalogues in locale/zh (docs/TRANSLATING.md)

The first run creates a virtual environment in ``.venv`` (or in ``$CRMLIB_VENV``) and
installs the project into it (editable, with its notebooks, classroom and test extras), with
``uv`` when it is on the PATH (several times faster) and with pip otherwise. Later runs
reuse it and reinstall only when ``pyproject.toml`` has changed. Extra arguments after ``test`` go to
pytest (e.g. ``python3 suite.py test tests/test_clv.py -x``); after ``lab`` to JupyterLab.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CRMLIB_VENV", ROOT / ".venv"))
START = "notebooks/00_start_here.ipynb"
STARTS = {"en": START, "zh": "notebooks/zh/00_start_here.ipynb"}  # the page `lab --lang` lands on
PIP_ONLY = {"mplfonts", "jupyterlab-rise", "playwright"}  # not (reliably) on conda-forge
EXTRAS = ("notebooks", "classroom", "test")  # what the suite needs beyond the library itself


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env() -> Path:
    """Create the virtual environment when missing; (re)install the project when pyproject.toml changed."""
    py = venv_python()
    if not py.exists():
        print(f"[suite] creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    stamp = VENV / ".crmlib-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        print("[suite] installing crmlib and its dependencies (first run: a few minutes) ...", flush=True)
        target = f"{ROOT}[{','.join(EXTRAS)}]"
        if not _install_with_uv(py, target):
            subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
            subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-e", target], check=True)
        stamp.write_text(wanted + "\n")
    return py


def _install_with_uv(py: Path, target: str) -> bool:
    """Install ``target`` with uv (the one on PATH, or a copy pip puts into the venv first): it
    downloads and installs the same requirements several times faster than pip. False when uv
    cannot be had or fails, so that the caller falls back to plain pip."""
    if os.environ.get("CRMLIB_NO_UV"):
        return False
    uv = [shutil.which("uv")] if shutil.which("uv") else None
    if uv is None:
        got = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "uv"], capture_output=True)
        if got.returncode != 0:
            return False
        uv = [str(py), "-m", "uv"]
    done = subprocess.run([*uv, "pip", "install", "--quiet", "--python", str(py), "-e", target])
    return done.returncode == 0


def run_child(cmd: list[str], **kwargs) -> int:
    """Run ``cmd`` until it exits and return its exit code, passing SIGTERM and SIGHUP on to it.

    Ctrl+C in a terminal reaches the child directly (same process group); a SIGTERM or SIGHUP sent
    to this process alone (a service manager, ``kill PID``, a closed terminal) would otherwise end
    it and leave the child and its servers running. The child stops its servers on either signal.
    """
    proc = subprocess.Popen(cmd, **kwargs)

    def forward(signum, _frame):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    handled = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:  # Ctrl+C: the child got it too and is shutting down
                continue
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def lab_environment(py: Path) -> dict:
    """Environment for the suite's JupyterLab: its own config folder with a ``custom.css`` that serves
    the Chinese web font (HTML text shows glyphs, not boxes, without system CJK fonts).

    The user's own Jupyter configuration stays in effect: it is read from ``JUPYTER_CONFIG_PATH``,
    and JupyterLab keeps its usual settings and workspaces folders.
    """
    user = os.environ.get("JUPYTER_CONFIG_DIR") or str(Path.home() / ".jupyter")
    config = VENV / "crmlib-jupyter-config"
    subprocess.run(
        [str(py), str(ROOT / "tools" / "classroom.py"), "lab-config", str(config)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([user, *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])])
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", str(Path(user) / "lab" / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", str(Path(user) / "lab" / "workspaces"))
    return env


def _take_lang(args: list[str]) -> tuple[str, list[str]]:
    """Split ``--lang zh`` / ``--lang=zh`` off the arguments; refuse a language the suite lacks."""
    lang, rest, i = "en", [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args):
            lang, i = args[i + 1], i + 2
            continue
        if arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    if lang not in STARTS:
        raise SystemExit(f"--lang must be one of {', '.join(STARTS)}; got {lang!r}")
    return lang, rest


def lab(args: list[str]) -> int:
    lang, args = _take_lang(args)
    start = STARTS[lang]
    py = ensure_env()
    # Serve the whole repository (so notebooks can link to ../exercises) and open the start notebook.
    # Both default URLs: JupyterLab's own (/lab) otherwise wins for `/` and the printed URL.
    cmd = [
        str(py),
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={ROOT}",
        f"--ServerApp.default_url=/lab/tree/{start}",
        f"--LabApp.default_url=/lab/tree/{start}",
        "--LabApp.custom_css=True",
        *args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        cmd.append("--allow-root")  # JupyterLab refuses to start as root without it
    print("[suite] starting JupyterLab:", " ".join(cmd[2:]), flush=True)
    return run_child(cmd, cwd=ROOT, env=lab_environment(py))


def test(args: list[str]) -> int:
    py = ensure_env()
    cmd = [str(py), "-m", "pytest", *args]
    print("[suite] running:", "python -m pytest", " ".join(args), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def environment_yml() -> str:
    """environment.yml text generated from pyproject.toml (the single source of the requirements)."""
    import tomllib  # Python >= 3.11

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"]) + [r for extra in EXTRAS for r in project["optional-dependencies"][extra]]
    conda, pip = [], []
    for req in reqs:
        name = req.split(">")[0].split("=")[0].split("<")[0].strip()
        (pip if name in PIP_ONLY else conda).append(req)
    py = project["requires-python"]
    lines = [
        "# Generated from pyproject.toml by `python3 suite.py env`: do not edit by hand.",
        "# conda env create -f environment.yml && conda activate crmlib",
        "name: crmlib",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python{py}",
        "  - pip",
    ]
    lines += [f"  - {r}" for r in conda]
    lines += ["  - pip:", "      - -e .", *[f"      - {r}" for r in pip]]
    return "\n".join(lines) + "\n"


def env(_args: list[str]) -> int:
    (ROOT / "environment.yml").write_text(environment_yml(), encoding="utf-8")
    print("[suite] wrote environment.yml")
    return 0


def _classroom(command: str, args: list[str]) -> int:
    """Run ``tools/classroom.py <command> ...`` with the project's environment."""
    py = ensure_env()
    return run_child([str(py), str(ROOT / "tools" / "classroom.py"), command, *args], cwd=ROOT)


def site(args: list[str]) -> int:
    """Export every executed notebook to a static offline HTML site in site/ (open site/index.html)."""
    return _classroom("site", args)


def slides(args: list[str]) -> int:
    """Present a chapter: reveal.js slides + its live widget dashboard, e.g. `slides 03`."""
    return _classroom("slides", args)


def dashboard(args: list[str]) -> int:
    """A chapter's live widgets as a Voilà dashboard on 127.0.0.1, e.g. `dashboard 03`."""
    return _classroom("dashboard", args)


def translate(args: list[str]) -> int:
    """The Chinese edition: ``translate status|extract|build|check`` (tools/i18n.py, docs/TRANSLATING.md)."""
    py = ensure_env()
    return run_child([str(py), str(ROOT / "tools" / "i18n.py"), *args], cwd=ROOT)


def check(args: list[str]) -> int:
    """A student's own check: run a copy of an exercise notebook and list which exercises pass.

    Paths are relative to the folder the command is run from (the kernel runs in the notebook's folder).
    """
    py = ensure_env()
    return subprocess.call([str(py), str(ROOT / "exercises" / "make_student.py"), "--report", *args])


def grade(args: list[str]) -> int:
    """A lecturer's grading: run every submitted exercise notebook, write grades.csv and feedback files."""
    py = ensure_env()
    return subprocess.call([str(py), str(ROOT / "tools" / "grade.py"), *args])


COMMANDS = {
    "lab": lab,
    "test": test,
    "env": env,
    "check": check,
    "grade": grade,
    "site": site,
    "slides": slides,
    "dashboard": dashboard,
    "translate": translate,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
