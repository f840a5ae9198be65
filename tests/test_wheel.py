"""`pip install crmlib` works outside a checkout: a wheel built from the repository carries the data
files (same checksums), its loaders work from site-packages, and the library alone does not pull
the notebook or classroom stack (JupyterLab, ipywidgets, Voilà)."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        cwd=out,
    )
    return next(out.glob("crmlib-*.whl"))


def test_the_library_alone_does_not_pull_the_notebook_stack(wheel):
    with zipfile.ZipFile(wheel) as zf:
        meta = Parser().parsestr(zf.read(next(n for n in zf.namelist() if n.endswith("METADATA"))).decode())
    required = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    names = {r.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in required}
    assert names.isdisjoint(
        {"jupyterlab", "ipywidgets", "ipykernel", "voila", "jupyterlab-rise", "nbconvert", "seaborn", "pytest"}
    ), names
    assert {"numpy", "pandas", "scipy", "statsmodels"} <= names


def test_a_wheel_installed_outside_the_checkout_loads_every_dataset(wheel, tmp_path):
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    py = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as zf:  # installing a wheel is unpacking it into site-packages
        zf.extractall(site)
    # the dependencies come from the test environment, *after* the fresh site-packages
    (site / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = """
import json, crmlib
from crmlib import datasets
rows = {n: len(f()) for n, f in [("cdnow_sample", lambda: datasets.load_cdnow(sample=True)),
        ("cdnow_master", lambda: datasets.load_cdnow(sample=False)),
        ("telco_churn", datasets.load_telco_churn), ("bank_calls", datasets.load_bank_calls),
        ("donations", datasets.load_donations)]}
from crmlib import i18n
from babel.messages.pofile import read_po
po = i18n.locale_dir() / "zh" / "LC_MESSAGES" / "crmlib.po"
first = next((m for m in read_po(po.open("rb")) if m.id and m.string and not m.fuzzy), None)
with i18n.language("zh"):
    shown = i18n.gettext(first.id) if first else None
print(json.dumps({"file": crmlib.__file__, "data": str(datasets.data_dir()), "rows": rows,
                  "po": str(po), "translated": first is not None and shown == first.string}))
"""
    out = subprocess.run(
        [str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["file"].startswith(str(site)) and result["data"].startswith(str(site))
    # the Chinese catalogue ships inside the wheel and is used from there
    assert result["po"].startswith(str(site)) and result["translated"], result
    assert result["rows"] == {
        "cdnow_sample": 6919,
        "cdnow_master": 69659,
        "telco_churn": 7043,
        "bank_calls": 27716,
        "donations": 22,
    }
