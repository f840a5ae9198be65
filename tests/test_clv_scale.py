"""RFM summaries at any scale (issue 19, items 3-4): files, DuckDB relations and Spark DataFrames.

The reference is the pandas path of ``crmlib.clv.rfm_summary`` (tested against lifetimes and
the published CDNOW numbers in tests/test_clv.py). Every engine must give the same summary of
the CDNOW master log: identical customers, counts and times; amounts to 1e-12 (sums of the
same amounts in another order). Bad input in files gets the pandas path's error, word for word
where the data allow (a file has no index: a bad amount is located by file and row).

Spark runs in local mode on two cores, one session for the whole run; it needs a Java runtime
(``apt-get install default-jre-headless`` when missing and we are root, as the browser tests do
for Chromium) and pyspark (the ``spark`` extra of pyproject.toml, pip-installed into this
environment on first use). The tests that need them are marked ``spark`` and are skipped, with
the reason, when neither can be had: ``-m "not spark"`` deselects them.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from crmlib import clv, datasets

ROOT = Path(__file__).resolve().parent.parent
CAL_END = "1997-09-30"
OBS_END = "1998-06-30"
ENDS = dict(calibration_end=CAL_END, observation_end=OBS_END)
MONEY = ("monetary_value", "monetary_value_holdout")


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def master():
    log = datasets.load_cdnow(sample=False)
    log.attrs = {}  # the data-set card does not go into Parquet metadata
    return log


@pytest.fixture(scope="module")
def files(master, tmp_path_factory):
    """CDNOW master as one Parquet file, one CSV file and a folder of four Parquet parts."""
    d = tmp_path_factory.mktemp("cdnow")
    master.to_parquet(d / "cdnow.parquet")
    master.to_csv(d / "cdnow.csv", index=False)
    parts = d / "parts"
    parts.mkdir()
    shuffled = master.sample(frac=1.0, random_state=1)
    for k in range(4):
        shuffled.iloc[k::4].to_parquet(parts / f"part-{k}.parquet")
    return {"parquet": d / "cdnow.parquet", "csv": d / "cdnow.csv", "parts": parts}


@pytest.fixture(scope="module")
def reference(master):
    return clv.rfm_summary(master, "customer_id", "date", "amount", **ENDS)


def assert_same_summary(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same customers, columns, dtypes, counts and times; amounts to 1e-12 (summation order)."""
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_index_equal(got.index, want.index)
    assert got.dtypes.to_dict() == want.dtypes.to_dict()
    exact = [c for c in want.columns if c not in MONEY]
    pd.testing.assert_frame_equal(got[exact], want[exact], check_exact=True)
    for c in MONEY:
        if c in want:
            np.testing.assert_allclose(got[c].to_numpy(), want[c].to_numpy(), rtol=1e-12, atol=1e-12)


def same_error(pandas_call, engine_call, exc=ValueError) -> str:
    """Both calls raise ``exc`` with the same message; return it."""
    with pytest.raises(exc) as want:
        pandas_call()
    with pytest.raises(exc) as got:
        engine_call()
    assert str(got.value) == str(want.value)
    return str(got.value)


# ---------------------------------------------------------------------------------------
# the engines agree on CDNOW
# ---------------------------------------------------------------------------------------
def test_files_and_relations_give_the_pandas_summary_of_cdnow(files, master, reference):
    for source in (
        files["parquet"],
        str(files["csv"]),
        files["parts"],  # a folder
        str(files["parts"] / "*.parquet"),  # a glob
        sorted(files["parts"].glob("*.parquet")),  # a list
        duckdb.read_parquet(str(files["parquet"])),  # a relation
    ):
        assert_same_summary(clv.rfm_summary(source, "customer_id", "date", "amount", **ENDS), reference)
    # without amounts, a holdout or period ends, in days and months
    for freq in ("D", "M"):
        want = clv.rfm_summary(master, "customer_id", "date", freq=freq)
        assert_same_summary(clv.rfm_summary(files["parquet"], "customer_id", "date", freq=freq), want)
        assert_same_summary(clv.rfm_summary(str(files["csv"]), "customer_id", "date", freq=freq), want)


def test_fits_run_on_the_summary_of_a_file(files):
    # the published BG/NBD fit (FHL 2005a) from the CDNOW sample written to Parquet
    sample = datasets.load_cdnow(sample=True)
    sample.attrs = {}
    path = files["parquet"].parent / "sample.parquet"
    sample.to_parquet(path)
    rfm = clv.rfm_summary(path, "customer_id", "date", "amount", **ENDS)
    fit = clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    assert fit.params.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(fit.log_likelihood, 1) == -9582.4


def test_tracking_from_files_and_relations(files, master, reference):
    bg = clv.fit_bg_nbd(reference["frequency"], reference["recency"], reference["T"])
    want = clv.tracking_data(bg, master, "customer_id", "date", CAL_END, OBS_END)
    for source in (files["parquet"], str(files["csv"]), duckdb.read_parquet(str(files["parquet"]))):
        pd.testing.assert_frame_equal(clv.tracking_data(bg, source, "customer_id", "date", CAL_END, OBS_END), want)
    monthly = clv.tracking_data(bg, master, "customer_id", "date", CAL_END, freq="M")
    pd.testing.assert_frame_equal(
        clv.tracking_data(bg, files["parquet"], "customer_id", "date", CAL_END, freq="M"), monthly
    )


def test_a_configured_duckdb_connection_reads_the_files(files, reference, tmp_path):
    con = duckdb.connect(config={"memory_limit": "200MB", "temp_directory": str(tmp_path), "threads": 1})
    got = clv.rfm_summary(files["parquet"], "customer_id", "date", "amount", **ENDS, connection=con)
    assert_same_summary(got, reference)
    assert con.execute("SELECT 1").fetchall() == [(1,)]  # the caller's connection stays open


def test_string_ids_sort_and_match(master, tmp_path):
    log = master.assign(customer_id="c" + master["customer_id"].astype(str).str.zfill(5))
    log.to_parquet(tmp_path / "s.parquet")
    want = clv.rfm_summary(log, "customer_id", "date", "amount", **ENDS)
    got = clv.rfm_summary(tmp_path / "s.parquet", "customer_id", "date", "amount", **ENDS)
    assert list(got.index[:2]) == ["c00001", "c00002"]
    assert_same_summary(got, want)


# ---------------------------------------------------------------------------------------
# time zones and date strings: the pandas rules in SQL
# ---------------------------------------------------------------------------------------
def _shanghai():
    # 23:30 on 1 March and 07:30 on 2 March in Shanghai: two local days, one UTC day
    local = pd.to_datetime(["2024-03-01 23:30", "2024-03-02 07:30", "2024-03-15 12:00", "2024-03-05 09:00"])
    return pd.DataFrame(
        {"id": [1, 1, 1, 2], "date": local.tz_localize("Asia/Shanghai"), "amount": [10.0, 20.0, 30.0, 5.0]}
    )


def test_time_zone_aware_files_count_local_days(tmp_path):
    log = _shanghai()
    log.to_parquet(tmp_path / "tz.parquet")
    ends = dict(calibration_end="2024-03-31", observation_end="2024-03-31", freq="D")
    for tz in (None, "UTC", "Asia/Shanghai", "America/New_York"):
        want = clv.rfm_summary(log, "id", "date", "amount", **ends, tz=tz)
        assert_same_summary(clv.rfm_summary(tmp_path / "tz.parquet", "id", "date", "amount", **ends, tz=tz), want)
    # the zone written by pandas/Arrow is the data's own zone: 1 and 2 March are two occasions
    own = clv.rfm_summary(tmp_path / "tz.parquet", "id", "date", **ends)
    assert own.loc[1, "frequency"] == 2
    # ISO strings with a UTC offset (a CSV) follow the same rule; a tz-aware period end is read in it
    log.assign(date=log["date"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")).to_csv(tmp_path / "tz.csv", index=False)
    end = pd.Timestamp("2024-03-14 23:00", tz="UTC")  # 15 March in Shanghai
    for tz in (None, "UTC"):
        kw = dict(calibration_end=end, observation_end="2024-03-31", freq="D", tz=tz)
        want = clv.rfm_summary(log, "id", "date", "amount", **kw)
        assert_same_summary(clv.rfm_summary(tmp_path / "tz.csv", "id", "date", "amount", **kw), want)
    # instants whose zone DuckDB does not keep (TIMESTAMPTZ built in SQL) need tz=
    rel = duckdb.sql("SELECT 1 AS id, TIMESTAMPTZ '2024-03-01 15:30:00+00' AS date")
    with pytest.raises(ValueError, match=r"own zone a DuckDB relation does not record; name the zone .* tz="):
        clv.rfm_summary(rel, "id", "date")
    assert clv.rfm_summary(rel, "id", "date", tz="Asia/Shanghai", freq="D")["T"].tolist() == [0.0]


def test_time_zone_errors_are_the_pandas_errors(tmp_path):
    log = _shanghai()
    naive = log.assign(date=log["date"].dt.tz_localize(None))
    naive.to_parquet(tmp_path / "naive.parquet")
    naive.assign(date=naive["date"].astype(str)).to_csv(tmp_path / "naive.csv", index=False)
    for path in (tmp_path / "naive.parquet", tmp_path / "naive.csv"):
        for tz in ("UTC", "Mars/Olympus"):  # naive timestamps; an unknown zone
            same_error(
                lambda tz=tz: clv.rfm_summary(naive, "id", "date", tz=tz),
                lambda tz=tz, path=path: clv.rfm_summary(path, "id", "date", tz=tz),
            )
    mixed = pd.DataFrame({"id": [1, 1], "date": ["2024-03-01T10:00:00+08:00", "2024-03-02T10:00:00+00:00"]})
    mixed.to_csv(tmp_path / "mixed.csv", index=False)
    msg = same_error(
        lambda: clv.rfm_summary(mixed, "id", "date"), lambda: clv.rfm_summary(tmp_path / "mixed.csv", "id", "date")
    )
    assert "mixes time zones" in msg
    # one file in UTC, another in Shanghai time: mixed zones too; one aware and one naive file likewise
    log.iloc[:2].to_parquet(tmp_path / "a-1.parquet")
    log.iloc[2:].assign(date=log["date"].iloc[2:].dt.tz_convert("UTC")).to_parquet(tmp_path / "a-2.parquet")
    with pytest.raises(ValueError, match="mixes time zones"):
        clv.rfm_summary(tmp_path / "a-*.parquet", "id", "date")
    naive.iloc[2:].to_parquet(tmp_path / "a-2.parquet")
    with pytest.raises(ValueError, match="mixes time zones"):
        clv.rfm_summary(tmp_path / "a-*.parquet", "id", "date")


def test_unparseable_and_ambiguous_dates_in_files(tmp_path):
    log = pd.DataFrame({"id": [1, 1, 2], "date": ["09/10/1997", "09/11/1997", "01/10/1997"]})
    log.to_csv(tmp_path / "us.csv", index=False)
    path = tmp_path / "us.csv"
    msg = same_error(lambda: clv.rfm_summary(log, "id", "date", freq="D"), lambda: clv.rfm_summary(path, "id", "date"))
    assert "not ISO 8601 (e.g. '09/10/1997')" in msg and "date_format" in msg
    for fmt in ("%m/%d/%Y", "%d/%m/%Y"):
        want = clv.rfm_summary(log, "id", "date", freq="D", date_format=fmt)
        assert_same_summary(clv.rfm_summary(path, "id", "date", freq="D", date_format=fmt), want)
    with pytest.raises(ValueError, match=r"does not match date_format='%Y-%m-%d'"):
        clv.rfm_summary(path, "id", "date", date_format="%Y-%m-%d")
    # a day that does not exist, and a missing date
    bad = pd.DataFrame({"id": [1, 2], "date": ["1997-02-28", "1997-02-30"]})
    bad.to_csv(tmp_path / "bad.csv", index=False)
    msg = same_error(
        lambda: clv.rfm_summary(bad, "id", "date"), lambda: clv.rfm_summary(tmp_path / "bad.csv", "id", "date")
    )
    assert "'1997-02-30'" in msg
    gap = pd.DataFrame({"id": [1, 2], "date": pd.to_datetime(["1997-02-28", None])})
    gap.to_parquet(tmp_path / "gap.parquet")
    same_error(
        lambda: clv.rfm_summary(gap, "id", "date"), lambda: clv.rfm_summary(tmp_path / "gap.parquet", "id", "date")
    )
    # numbers are not dates
    nums = pd.DataFrame({"id": [1, 2], "date": [19970910, 19970911]})
    nums.to_parquet(tmp_path / "nums.parquet")
    with pytest.raises(TypeError, match=r"transactions\['date'\] must hold dates .* got numbers of dtype BIGINT"):
        clv.rfm_summary(tmp_path / "nums.parquet", "id", "date")


# ---------------------------------------------------------------------------------------
# bad input in files: the errors of the pandas path
# ---------------------------------------------------------------------------------------
def test_missing_columns_empty_logs_and_period_ends(files, master, tmp_path):
    calls = [
        (("customer", "date"), {}),  # a missing column
        (("customer_id", "day"), {}),  # a missing date column (a CSV reads it as text)
        (("customer_id", "date"), dict(calibration_end="1998-01-01", observation_end="1997-06-01")),  # out of order
        (("customer_id", "date"), dict(calibration_end="1996-12-01")),  # an empty calibration period
        (("customer_id", "date"), dict(observation_end="1996-12-01")),  # before every transaction
        (("customer_id", "date"), dict(freq="B")),  # a unit without a fixed length
    ]
    for path in (files["parquet"], files["csv"]):
        for args, kw in calls:
            same_error(
                lambda args=args, kw=kw: clv.rfm_summary(master, *args, **kw),
                lambda args=args, kw=kw, path=path: clv.rfm_summary(path, *args, **kw),
            )
    master.iloc[:0].to_parquet(tmp_path / "empty.parquet")
    with pytest.raises(ValueError, match="transactions must not be empty; got 0 rows"):
        clv.rfm_summary(tmp_path / "empty.parquet", "customer_id", "date")
    ids = master.assign(customer_id=master["customer_id"].astype(float))
    ids.loc[7, "customer_id"] = np.nan
    ids.to_parquet(tmp_path / "ids.parquet")
    same_error(
        lambda: clv.rfm_summary(ids, "customer_id", "date"),
        lambda: clv.rfm_summary(tmp_path / "ids.parquet", "customer_id", "date"),
    )


def test_missing_negative_and_huge_amounts(master, tmp_path):
    nan = master.copy()
    nan.loc[[5, 9], "amount"] = np.nan
    nan.to_parquet(tmp_path / "nan.parquet")
    nan.to_csv(tmp_path / "nan.csv", index=False)
    with pytest.raises(ValueError, match=r"transactions\['amount'\] has 2 missing amount\(s\) \(first at row 5\)"):
        clv.rfm_summary(nan, "customer_id", "date", "amount")
    with pytest.raises(
        ValueError,
        match=r"transactions\['amount'\] has 2 missing amount\(s\) \(first at row 5 of 'nan.parquet'\); drop or fill",
    ):
        clv.rfm_summary(tmp_path / "nan.parquet", "customer_id", "date", "amount")
    row5 = master.loc[5]  # a CSV has no row numbers: the first bad row is named by its customer and date
    with pytest.raises(
        ValueError,
        match=rf"has 2 missing amount\(s\) \(first in the row of customer {row5['customer_id']} dated "
        rf"{row5['date']:%Y-%m-%d}\)",
    ):
        clv.rfm_summary(tmp_path / "nan.csv", "customer_id", "date", "amount")
    # without the amount column the log is fine: the rule is about money
    assert len(clv.rfm_summary(tmp_path / "nan.parquet", "customer_id", "date")) == master["customer_id"].nunique()
    refund = master.copy()
    refund.loc[[2, 3, 4], "amount"] = -1.0
    refund.to_parquet(tmp_path / "refund.parquet")
    with pytest.raises(
        ValueError, match=r"has 3 negative or infinite amount\(s\) \(first -1.0 at row 2 of 'refund.parquet'\); returns"
    ):
        clv.rfm_summary(tmp_path / "refund.parquet", "customer_id", "date", "amount")
    rel = duckdb.read_parquet(str(tmp_path / "refund.parquet"))
    with pytest.raises(ValueError, match=r"has 3 negative or infinite amount\(s\) \(first -1.0 in the row of customer"):
        clv.rfm_summary(rel, "customer_id", "date", "amount")
    huge = master.copy()
    huge.loc[11, "amount"] = 2e16
    huge.to_parquet(tmp_path / "huge.parquet")
    with pytest.raises(ValueError, match=r"transactions\['amount'\] must be at most 1e\+15"):
        clv.rfm_summary(huge, "customer_id", "date", "amount")
    with pytest.raises(ValueError, match=r"transactions\['amount'\] must be at most 1e\+15 .*2e\+16 at row 11"):
        clv.rfm_summary(tmp_path / "huge.parquet", "customer_id", "date", "amount")


def test_mixed_types(master, tmp_path):
    # text among the amounts of a CSV: the column is text, not numbers (pandas: dtype object)
    text = master.head(20).astype({"amount": object})
    text.loc[3, "amount"] = "n/a"
    text.to_csv(tmp_path / "text.csv", index=False)
    with pytest.raises(TypeError, match=r"transactions\['amount'\] must hold numbers \(amounts\); got dtype object"):
        clv.rfm_summary(text, "customer_id", "date", "amount")
    with pytest.raises(TypeError, match=r"transactions\['amount'\] must hold numbers \(amounts\); got dtype VARCHAR"):
        clv.rfm_summary(tmp_path / "text.csv", "customer_id", "date", "amount")
    # Parquet files that disagree on a column's type
    master.head(10).to_parquet(tmp_path / "m-1.parquet")
    master.iloc[10:20].astype({"amount": str}).to_parquet(tmp_path / "m-2.parquet")
    with pytest.raises(TypeError, match=r"transactions\['amount'\] has different types in different files"):
        clv.rfm_summary(tmp_path / "m-*.parquet", "customer_id", "date", "amount")
    master.iloc[10:20].astype({"customer_id": str}).to_parquet(tmp_path / "m-2.parquet")
    with pytest.raises(TypeError, match=r"transactions\['customer_id'\] has different types .*BIGINT in m-1.parquet"):
        clv.rfm_summary(tmp_path / "m-*.parquet", "customer_id", "date")


def test_what_is_not_a_log(master, files, tmp_path):
    with pytest.raises(TypeError, match="transactions must be a pandas DataFrame, a path or glob"):
        clv.rfm_summary(42, "customer_id", "date")
    with pytest.raises(FileNotFoundError, match="no file matches"):
        clv.rfm_summary(str(tmp_path / "nothing-*.parquet"), "customer_id", "date")
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        clv.rfm_summary(tmp_path / "missing.parquet", "customer_id", "date")
    (tmp_path / "log.json").write_text("{}")
    with pytest.raises(ValueError, match="cannot tell the format"):
        clv.rfm_summary(tmp_path / "log.json", "customer_id", "date")
    with pytest.raises(ValueError, match="mixes Parquet and CSV"):
        clv.rfm_summary([files["parquet"], files["csv"]], "customer_id", "date")
    with pytest.raises(TypeError, match="connection is a DuckDB connection for files"):
        clv.rfm_summary(master, "customer_id", "date", connection=duckdb.connect())
    with pytest.raises(TypeError, match="connection must be a duckdb connection"):
        clv.rfm_summary(files["parquet"], "customer_id", "date", connection="memory")


def test_one_sql_text_for_both_dialects():
    from crmlib.clv import engines

    assert engines.java_pattern("%d/%m/%Y") == "dd/MM/yyyy"
    assert engines.java_pattern("%Y-%m-%dT%H:%M:%S") == "yyyy-MM-dd'T'HH:mm:ss"
    with pytest.raises(ValueError, match="does not translate"):
        engines.java_pattern("%U")
    cols = {"id": "BIGINT", "date": "DATE", "amount": "DOUBLE"}
    texts = {}
    for dialect in (engines.DUCKDB, engines.SPARK):
        src = engines.Source(dialect, "test", cols, "src")
        spec = engines.DateSpec("date")
        texts[dialect.name] = engines.summary_sql(src, "id", "date", "amount", spec, 100, 200)
    # the texts differ only where the dialects do: quoting and the day number
    norm = {k: t.replace('"', "`") for k, t in texts.items()}
    norm["duckdb"] = norm["duckdb"].replace("date_diff('day', DATE '1970-01-01', `date`)", "unix_date(`date`)")
    assert norm["duckdb"] == norm["spark"]


# ---------------------------------------------------------------------------------------
# Spark in local mode
# ---------------------------------------------------------------------------------------
def _spark_requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"]["spark"])


def _ensure_java() -> str:
    java = shutil.which("java")
    if java:
        return java
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("Spark needs a Java runtime: `java` is missing and installing it needs root "
                    "(run `sudo apt-get install -y default-jre-headless`)")  # fmt: skip
    if shutil.which("apt-get") is None:
        pytest.skip("Spark needs a Java runtime: `java` is missing and apt-get is not available here")
    with open("/tmp/crmlib-java-install.lock", "w") as lock:  # one installer across xdist workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shutil.which("java"):
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cmd = ["apt-get", "install", "-y", "--no-install-recommends", "default-jre-headless"]
            res = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if res.returncode != 0:  # stale package lists: update once and retry
                subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True)
                res = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if res.returncode != 0 or not shutil.which("java"):
                tail = " | ".join((res.stderr or res.stdout).strip().splitlines()[-3:])
                pytest.skip(f"Spark needs a Java runtime: `apt-get install -y default-jre-headless` failed: {tail}")
    return shutil.which("java")


def _ensure_pyspark():
    try:
        return importlib.import_module("pyspark")
    except ImportError:
        pass
    if os.environ.get("CRMLIB_NO_SPARK_INSTALL"):
        pytest.skip("pyspark is not installed (CRMLIB_NO_SPARK_INSTALL is set): pip install 'crmlib[spark]'")
    reqs = _spark_requirements()
    with open("/tmp/crmlib-pyspark-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        importlib.invalidate_caches()
        try:
            return importlib.import_module("pyspark")
        except ImportError:
            pass
        # the spark extra of pyproject.toml, into this environment (uv when the suite installed it)
        uv = subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True).returncode == 0
        cmd = [sys.executable, "-m", "uv", "pip", "install", "--python", sys.executable, *reqs] if uv else [
            sys.executable, "-m", "pip", "install", "--quiet", *reqs]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            tail = " | ".join((res.stderr or res.stdout).strip().splitlines()[-3:])
            pytest.skip(f"pyspark could not be installed ({' '.join(reqs)}): {tail}")
    importlib.invalidate_caches()
    return importlib.import_module("pyspark")


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession on two cores for the whole run."""
    _ensure_java()
    _ensure_pyspark()
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("crmlib-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")  # pyspark on pandas 3
def test_spark_gives_the_pandas_summary_of_cdnow(spark, files, master, reference):
    frame = spark.read.parquet(str(files["parquet"]))
    assert_same_summary(clv.rfm_summary(frame, "customer_id", "date", "amount", **ENDS), reference)
    # the three engines on one log: pandas (reference), DuckDB (the file) and Spark agree
    duck = clv.rfm_summary(files["parquet"], "customer_id", "date", "amount", **ENDS)
    spark_csv = spark.read.csv(str(files["csv"]), header=True, inferSchema=True)  # ids INT, dates DATE
    assert_same_summary(clv.rfm_summary(spark_csv, "customer_id", "date", "amount", **ENDS), duck)
    bg = clv.fit_bg_nbd(reference["frequency"], reference["recency"], reference["T"])
    pd.testing.assert_frame_equal(
        clv.tracking_data(bg, frame, "customer_id", "date", CAL_END, OBS_END),
        clv.tracking_data(bg, master, "customer_id", "date", CAL_END, OBS_END),
    )


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")  # pyspark on pandas 3
def test_spark_time_zones_strings_and_bad_input(spark, tmp_path):
    log = _shanghai()
    ends = dict(calibration_end="2024-03-31", observation_end="2024-03-31", freq="D")
    frame = spark.createDataFrame(log.assign(date=log["date"].dt.tz_convert("UTC")))  # TIMESTAMP: instants
    with pytest.raises(ValueError, match="own zone a Spark DataFrame does not record; name the zone .* tz="):
        clv.rfm_summary(frame, "id", "date", **ends)
    session_zone = spark.conf.get("spark.sql.session.timeZone")
    for tz in ("Asia/Shanghai", "UTC"):
        want = clv.rfm_summary(log, "id", "date", "amount", **ends, tz=tz)
        assert_same_summary(clv.rfm_summary(frame, "id", "date", "amount", **ends, tz=tz), want)
    assert spark.conf.get("spark.sql.session.timeZone") == session_zone  # restored
    # strings with offsets, and with a format
    iso = log.assign(date=log["date"].dt.strftime("%Y-%m-%dT%H:%M:%S%z"))
    assert_same_summary(
        clv.rfm_summary(spark.createDataFrame(iso), "id", "date", "amount", **ends),
        clv.rfm_summary(iso, "id", "date", "amount", **ends),
    )
    us = pd.DataFrame({"id": [1, 1, 2], "date": ["09/10/1997", "09/11/1997", "01/10/1997"]})
    assert_same_summary(
        clv.rfm_summary(spark.createDataFrame(us), "id", "date", freq="D", date_format="%d/%m/%Y"),
        clv.rfm_summary(us, "id", "date", freq="D", date_format="%d/%m/%Y"),
    )
    same_error(
        lambda: clv.rfm_summary(us, "id", "date"), lambda: clv.rfm_summary(spark.createDataFrame(us), "id", "date")
    )
    refund = log.assign(date=log["date"].dt.tz_localize(None), amount=[10.0, -1.0, 30.0, -2.0])
    with pytest.raises(
        ValueError, match=r"has 2 negative or infinite amount\(s\) \(first -1.0 in the row of customer 1"
    ):
        clv.rfm_summary(spark.createDataFrame(refund), "id", "date", "amount", tz="UTC")
    with pytest.raises(ValueError, match=r"is missing column\(s\) \['customer'\]"):
        clv.rfm_summary(frame, "customer", "date")
