"""The shipped data: README, loaders and files agree; missing or damaged files give a clear error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlib import datasets

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
LOADERS = {
    "cdnow_sample": lambda: datasets.load_cdnow(),
    "cdnow_master": lambda: datasets.load_cdnow(sample=False),
    "telco_churn": datasets.load_telco_churn,
    "bank_calls": datasets.load_bank_calls,
    "donations": datasets.load_donations,
}


def _readme_section(name: str) -> str:
    # sections are headed '## name ...' (cdnow_sample and cdnow_master share one)
    for part in README.split("\n## ")[1:]:
        if name in part.splitlines()[0]:
            return part
    raise AssertionError(f"datasets/README.md has no section for {name}")


def test_counts_the_issue_names():
    # Numbers from the data's provenance note (../shared/data/README.md) and the published papers.
    sample, master = datasets.load_cdnow(), datasets.load_cdnow(sample=False)
    assert (len(sample), sample["customer_id"].nunique()) == (6919, 2357)
    assert (len(master), master["customer_id"].nunique()) == (69659, 23570)
    assert len(datasets.load_telco_churn()) == 7043
    assert len(datasets.load_bank_calls()) == 27716
    don = datasets.load_donations()  # FHS (2010): 11,104 first-time supporters of 1995, 6 later years
    assert (len(don), int(don["weights"].sum()), set(don["periods"])) == (22, 11104, {6})


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_readme_loader_and_file_agree(name):
    frame = LOADERS[name]()
    info = datasets.metadata(name)
    assert frame.attrs["metadata"] is info
    assert len(frame) == info.rows
    assert list(frame.columns) == list(info.columns)
    # the index table of the README states the file and the row count
    row = re.search(rf"^\| {name} \| `([^`]+)` \| ([\d,]+) \|", README, re.M)
    assert row, f"datasets/README.md index table lacks {name}"
    assert row.group(1) == info.file and int(row.group(2).replace(",", "")) == info.rows
    assert (ROOT / "datasets" / info.file).is_file()
    # every column is documented in the data set's section, with the same name
    section = _readme_section(name)
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)
    assert documented == list(frame.columns)
    for key in ("Source", "Citation", "Licence", "Rows", "Time conventions", "Quirks"):
        assert f"**{key}**" in section, f"{name}: README section lacks {key}"


def test_column_types():
    cd = datasets.load_cdnow()
    assert str(cd["date"].dtype).startswith("datetime64")
    assert cd["customer_id"].dtype == np.int64 and cd["quantity"].dtype == np.int64
    assert cd["amount"].dtype == np.float64
    assert cd["date"].min() == pd.Timestamp("1997-01-01") and cd["date"].max() == pd.Timestamp("1998-06-30")
    assert (cd["amount"] == 0).sum() == 8  # the provenance note: 8 rows have value 0
    telco = datasets.load_telco_churn()
    assert telco["churn"].dtype == bool and telco["contract"].cat.ordered
    assert telco["total_charges"].isna().sum() == 11
    # churn by contract as stated in ../shared/data/README.md (plain pandas on the raw file)
    raw = pd.read_csv(ROOT / "datasets" / "telco" / "telco_churn.csv")
    expected = raw.assign(c=raw["churn"].eq("Yes")).groupby("contract")["c"].mean().round(3)
    got = telco.groupby("contract", observed=True)["churn"].mean().round(3)
    assert got.to_dict() == expected.to_dict() == {"Month-to-month": 0.427, "One year": 0.113, "Two year": 0.028}
    calls = datasets.load_bank_calls()
    assert calls["datetime"].dt.normalize().nunique() == 164
    assert calls["datetime"].min() == pd.Timestamp("2003-03-03 07:00")
    assert calls["datetime"].max() == pd.Timestamp("2003-10-24 21:00")


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", target)
    return target


def test_missing_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    target = _copy_data(tmp_path)
    (target / "telco" / "telco_churn.csv").unlink()
    monkeypatch.setenv("CRMLIB_DATA", str(target))
    with pytest.raises(datasets.DatasetError, match=r"datasets/telco/telco_churn\.csv is missing.*git checkout"):
        datasets.load_telco_churn()


def test_damaged_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    target = _copy_data(tmp_path)
    path = target / "cdnow" / "CDNOW_sample.txt"
    path.write_bytes(path.read_bytes()[:-500])
    monkeypatch.setenv("CRMLIB_DATA", str(target))
    with pytest.raises(datasets.DatasetError, match=r"datasets/cdnow/CDNOW_sample\.txt is damaged.*git checkout"):
        datasets.load_cdnow()


def test_bad_arguments():
    with pytest.raises(TypeError, match="sample must be True or False; got 'yes'"):
        datasets.load_cdnow(sample="yes")
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.metadata("cdnow")


def test_data_files_survive_a_checkout_that_converts_line_endings(tmp_path, monkeypatch):
    """A Windows checkout (core.autocrlf) or an editor may turn \\n into \\r\\n: loaders still work,
    with identical frames, and git is told never to convert the data files."""
    import shutil
    import subprocess

    from crmlib import datasets

    src = datasets.data_dir()
    for sub in ("cdnow", "telco", "calls", "donations"):
        (tmp_path / sub).mkdir()
        for f in (src / sub).iterdir():
            data = f.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            (tmp_path / sub / f.name).write_bytes(data)
    shutil.copy(src / "README.md", tmp_path / "README.md")
    expected = {
        "telco": datasets.load_telco_churn(),
        "calls": datasets.load_bank_calls(),
        "cdnow": datasets.load_cdnow(sample=True),
        "donations": datasets.load_donations(),
    }
    monkeypatch.setenv("CRMLIB_DATA", str(tmp_path))
    import pandas as pd

    pd.testing.assert_frame_equal(datasets.load_telco_churn(), expected["telco"])
    pd.testing.assert_frame_equal(datasets.load_bank_calls(), expected["calls"])
    pd.testing.assert_frame_equal(datasets.load_cdnow(sample=True), expected["cdnow"])
    pd.testing.assert_frame_equal(datasets.load_donations(), expected["donations"])
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        ["git", "check-attr", "text", "datasets/telco/telco_churn.csv"], cwd=root, capture_output=True, text=True
    )
    if out.returncode == 0:  # not a git checkout (e.g. an sdist): nothing to check
        assert out.stdout.strip().endswith("text: unset"), out.stdout
