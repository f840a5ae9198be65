"""Chapter 3, any scale: the RFM summary of a transaction log computed in SQL, out of core.

:func:`crmlib.clv.rfm_summary` and :func:`crmlib.clv.tracking_data` accept, besides a pandas
DataFrame, three kinds of input that this module reads for them:

* a **path** (a file, a folder, a glob such as ``"logs/*.parquet"`` or a list of them) of
  Parquet or CSV files, read by **DuckDB** (the default engine for files) in a connection the
  caller may pass (``connection=``, e.g. one with ``memory_limit`` and ``temp_directory`` set)
  or in a fresh in-memory one that spills to a temporary folder;
* a **DuckDB relation** (``duckdb.sql(...)``, ``con.read_parquet(...)``), queried in its own
  connection;
* a **Spark DataFrame**, queried by its own SparkSession (``pyspark`` is the optional extra
  ``crmlib[spark]``).

The rules (dates, time zones, units, amounts, inclusive ends) and the error messages stay in
:mod:`crmlib.clv.summaries`; this module only asks the engine. Each question is one SQL text,
generated once for both engines: a pass of checks and extremes (row count, missing ids and
dates, dates that are not ISO 8601 or do not match ``date_format``, mixed UTC offsets,
missing, negative or huge amounts, first and last day), then the summary itself: purchases of
one customer on one local day become one occasion (``GROUP BY customer, day``), and each
customer's occasions are reduced to first day, counts, last calibration day and amounts
(``GROUP BY customer``). Only that per-customer table (or, for tracking, one row per day)
leaves the engine; the float columns are computed from it by the same NumPy expressions as
the pandas path, so the time columns are identical and amounts agree to the last few bits
(sums in another order).

Where the two dialects differ, :class:`Dialect` holds the one difference:

========================  =====================================  =====================================
what                      DuckDB                                 Spark SQL
========================  =====================================  =====================================
quoting a column          ``"name"``                             ```name```
day number of a date      ``date_diff('day', DATE '1970-01-01',  ``unix_date(d)``
                          d)``
local date of an instant  ``CAST(timezone('Asia/Shanghai', t)    ``CAST(t AS DATE)`` with the session
                          AS DATE)``                             time zone set to the zone for the query
string with a UTC offset  ``TRY_CAST(s AS TIMESTAMPTZ)``         ``TRY_CAST(s AS TIMESTAMP)``
parse with a format       ``try_strptime(s, '%d/%m/%Y')``        ``try_to_timestamp(s, 'dd/MM/yyyy')``
                                                                 (strftime codes translated)
regular expression        ``regexp_matches(s, p)``               ``rlike(s, p)``
========================  =====================================  =====================================

Everything else — ``COUNT(*) FILTER (WHERE ...)``, ``MIN_BY``, ``TRY_CAST``, ``isnan``,
``regexp_extract``, ``substr``, ``rpad`` — is written once.
"""

from __future__ import annotations

import glob as _glob
import os
import re
import tempfile
import uuid
import warnings
from dataclasses import dataclass, field

import pandas as pd

__all__: list[str] = []  # private machinery of crmlib.clv.summaries

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz", ".csv.zst")

# ISO 8601 as the pandas path reads it: a date, optionally a time, optionally a UTC offset after
# the time. Written with [0-9] (no backslashes: Spark SQL string literals treat them as escapes).
_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_OFFSET = "(Z|[+-][0-9]{2}(:?[0-9]{2})?)"
ISO_PATTERN = f"^{_DATE}([T ][0-9]{{2}}(:[0-9]{{2}}(:[0-9]{{2}}([.,][0-9]+)?)?)?( ?{_OFFSET})?)?$"
OFFSET_PATTERN = f"^{_DATE}[T ][0-9:.,]+ ?{_OFFSET}$"


# ----------------------------------------------------------------------------- dialects
@dataclass(frozen=True)
class Dialect:
    """The few spellings in which DuckDB and Spark SQL differ (see the module docstring)."""

    name: str

    def quote(self, column: str) -> str:
        if self.name == "spark":
            return "`" + column.replace("`", "``") + "`"
        return '"' + column.replace('"', '""') + '"'

    def day(self, date_expr: str) -> str:
        """Days since 1970-01-01 of a DATE expression."""
        if self.name == "spark":
            return f"unix_date({date_expr})"
        return f"date_diff('day', DATE '1970-01-01', {date_expr})"

    def local_date(self, instant_expr: str, zone: str) -> str:
        """The calendar date of an instant in ``zone`` (Spark: the query runs in that session zone)."""
        if self.name == "spark":
            return f"CAST({instant_expr} AS DATE)"
        return f"CAST(timezone({_literal(_duckdb_zone(zone))}, {instant_expr}) AS DATE)"

    def instant(self, string_expr: str) -> str:
        """An ISO string with a UTC offset as an instant."""
        return f"TRY_CAST({string_expr} AS {'TIMESTAMP' if self.name == 'spark' else 'TIMESTAMPTZ'})"

    def parse(self, string_expr: str, date_format: str) -> str:
        """A string parsed with a strftime format (NULL when it does not match)."""
        if self.name == "spark":
            return f"try_to_timestamp({string_expr}, {_literal(java_pattern(date_format))})"
        return f"try_strptime({string_expr}, {_literal(date_format)})"

    def matches(self, string_expr: str, pattern: str) -> str:
        if self.name == "spark":
            return f"rlike({string_expr}, {_literal(pattern)})"
        return f"regexp_matches({string_expr}, {_literal(pattern)})"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")


def _literal(text: str) -> str:
    """A SQL string literal both engines read alike (no quotes or backslashes inside)."""
    if "'" in text or "\\" in text:
        raise ValueError(f"date_format and tz must not contain quotes or backslashes; got {text!r}")
    return "'" + text + "'"


def _duckdb_zone(zone: str) -> str:
    # DuckDB (ICU) names a fixed offset "UTC+08:00", not "+08:00"
    return "UTC" + zone if re.fullmatch(r"[+-][0-9]{2}:[0-9]{2}", zone) else zone


_JAVA_CODES = {
    "Y": "yyyy", "y": "yy", "m": "MM", "d": "dd", "H": "HH", "I": "hh", "M": "mm", "S": "ss",
    "f": "SSSSSS", "p": "a", "b": "MMM", "B": "MMMM", "a": "EEE", "A": "EEEE", "j": "DDD",
}  # fmt: skip


def java_pattern(date_format: str) -> str:
    """The Java DateTimeFormatter pattern (Spark) of a strftime format ('%d/%m/%Y' -> 'dd/MM/yyyy')."""
    out, literal, i = [], "", 0
    while i < len(date_format):
        ch = date_format[i]
        if ch == "%" and i + 1 < len(date_format):
            code = date_format[i + 1]
            i += 2
            if code == "%":
                literal += "%"
                continue
            if code not in _JAVA_CODES:
                raise ValueError(
                    f"date_format={date_format!r} uses %{code}, which the Spark engine does not translate; "
                    f"use the codes {sorted('%' + c for c in _JAVA_CODES)} or convert the column to dates first"
                )
            if literal:
                out.append(_java_literal(literal))
                literal = ""
            out.append(_JAVA_CODES[code])
        else:
            literal += ch
            i += 1
    if literal:
        out.append(_java_literal(literal))
    return "".join(out)


def _java_literal(text: str) -> str:
    return f"'{text}'" if re.search(r"[A-Za-z]", text) else text


# ----------------------------------------------------------------------------- sources
@dataclass
class Source:
    """Something an engine can read: files, a DuckDB relation or a Spark DataFrame."""

    dialect: Dialect
    description: str  # for messages: "files 'logs/*.parquet'", "a DuckDB relation", ...
    columns: dict  # column name -> engine type (upper-case text)
    table: str  # what FROM reads: a table function, a view or a virtual table name
    _run: object = None  # sql -> pandas DataFrame
    files: list = field(default_factory=list)
    kind: str = ""  # "parquet", "csv", "relation", "spark"
    own_zones: dict = field(default_factory=dict)  # column -> zones stored with the data (Arrow metadata)
    per_file_types: object = None  # column -> {file: type}, for Parquet globs whose files disagree
    _cleanup: list = field(default_factory=list)

    @property
    def engine(self) -> str:
        return self.dialect.name

    def query(self, sql: str, *, session_zone: str | None = None) -> pd.DataFrame:
        return self._run(sql, session_zone)

    def close(self) -> None:
        while self._cleanup:
            try:
                self._cleanup.pop()()
            except Exception:  # noqa: BLE001 - cleanup must not hide the real result or error
                pass


def is_spark_dataframe(obj) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("pyspark.") and type(obj).__name__ == "DataFrame"


def is_duckdb_relation(obj) -> bool:
    return type(obj).__name__ == "DuckDBPyRelation"


def is_path_like(obj) -> bool:
    if isinstance(obj, (str, os.PathLike)):
        return True
    return isinstance(obj, (list, tuple)) and len(obj) > 0 and all(isinstance(p, (str, os.PathLike)) for p in obj)


def open_source(transactions, *, connection=None, date_col=None) -> Source | None:
    """A :class:`Source` for a path, a DuckDB relation or a Spark DataFrame; None for anything else."""
    if is_spark_dataframe(transactions):
        if connection is not None:
            raise TypeError("connection is a DuckDB connection for files; a Spark DataFrame runs in its own session")
        return _spark_source(transactions)
    if is_duckdb_relation(transactions):
        if connection is not None:
            raise TypeError("connection is for files; a DuckDB relation is queried in its own connection")
        return _relation_source(transactions)
    if is_path_like(transactions):
        return _file_source(transactions, connection, date_col)
    return None


def _expand(paths) -> list[str]:
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files: list[str] = []
    for item in items:
        text = os.fspath(item)
        if "://" in text:  # a URL: DuckDB's own readers (httpfs) resolve it
            files.append(text)
            continue
        if os.path.isdir(text):
            found = sorted(
                p
                for p in _glob.glob(os.path.join(text, "**", "*"), recursive=True)
                if os.path.isfile(p) and _format_of(p) is not None
            )
            if not found:
                raise FileNotFoundError(f"transactions: the folder {text!r} holds no Parquet or CSV file")
            files.extend(found)
        elif _glob.has_magic(text):
            found = sorted(p for p in _glob.glob(text, recursive=True) if os.path.isfile(p))
            if not found:
                raise FileNotFoundError(f"transactions: no file matches {text!r}")
            files.extend(found)
        elif os.path.isfile(text):
            files.append(text)
        else:
            raise FileNotFoundError(f"transactions: no such file or folder {text!r}")
    return files


def _format_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith(CSV_SUFFIXES):
        return "csv"
    return None


def _file_source(paths, connection, date_col) -> Source:
    import duckdb

    files = _expand(paths)
    formats = {_format_of(f) for f in files}
    if None in formats:
        bad = next(f for f in files if _format_of(f) is None)
        raise ValueError(
            f"transactions: cannot tell the format of {bad!r} from its name; use files ending in "
            f"{', '.join(PARQUET_SUFFIXES + CSV_SUFFIXES[:3])} (or pass a DuckDB relation such as "
            "duckdb.read_json(...))"
        )
    if len(formats) > 1:
        raise ValueError("transactions mixes Parquet and CSV files; pass one format at a time")
    fmt = formats.pop()
    shown = os.fspath(paths) if isinstance(paths, (str, os.PathLike)) else f"{len(files)} files"
    cleanup = []
    if connection is None:
        tmp = tempfile.TemporaryDirectory(prefix="crmlib-duckdb-")
        connection = duckdb.connect(config={"temp_directory": tmp.name})
        connection.execute("SET enable_progress_bar = false")
        cleanup = [tmp.cleanup, connection.close]
    elif not isinstance(connection, duckdb.DuckDBPyConnection):
        raise TypeError(f"connection must be a duckdb connection (duckdb.connect(...)) or None; got {connection!r}")
    file_list = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    if fmt == "parquet":
        table = f"read_parquet({file_list}, union_by_name = true)"
    else:
        table = f"read_csv({file_list}, union_by_name = true, header = true)"
    try:
        rel = connection.sql(f"SELECT * FROM {table}")
        columns = {c: str(t).upper() for c, t in zip(rel.columns, rel.types)}
        if fmt == "csv" and date_col in columns:
            # dates are read as text and parsed by the rules of the pandas path (ISO 8601 or
            # date_format), never by the CSV sniffer's guess ("09/10/1997" is not guessed)
            table = f"{table[:-1]}, types = {{{_sql_string(date_col)}: 'VARCHAR'}})"
            columns[date_col] = "VARCHAR"
    except duckdb.Error as err:
        for fn in reversed(cleanup):
            fn()
        raise ValueError(f"transactions: DuckDB cannot read {shown!r}: {str(err).splitlines()[0]}") from None

    def run(sql, session_zone):
        return connection.sql(sql).df()

    src = Source(DUCKDB, f"files {shown!r}", columns, table, run, files=files, kind=fmt, _cleanup=cleanup)
    if fmt == "parquet":
        src.own_zones = _arrow_zones(files, columns)
        src.per_file_types = lambda col: _parquet_types_by_file(connection, files, col)
    return src


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _arrow_zones(files, columns) -> dict:
    """The time zone each time-zone-aware column carries in the files' Arrow metadata (set of zones)."""
    aware = [c for c, t in columns.items() if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")]
    if not aware:
        return {}
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow comes with splink; without it tz= must be named
        return {}
    zones: dict = {c: set() for c in aware}
    for f in files:
        if "://" in f:
            continue
        schema = pq.read_schema(f)
        for c in aware:
            if c in schema.names:
                zones[c].add(getattr(schema.field(c).type, "tz", None))
    return zones


def _parquet_types_by_file(connection, files, column) -> dict:
    """{file: DuckDB type of ``column``} for a list of Parquet files (only asked when a column is mixed)."""
    out = {}
    for f in files[:1000]:
        try:
            rel = connection.sql(f"SELECT * FROM read_parquet({_sql_string(f)}) LIMIT 0")
            types = dict(zip(rel.columns, (str(t).upper() for t in rel.types)))
        except Exception:  # noqa: BLE001 - a file DuckDB cannot read is reported by the main query
            continue
        if column in types:
            out[f] = types[column]
    return out


def _relation_source(rel) -> Source:
    columns = {c: str(t).upper() for c, t in zip(rel.columns, rel.types)}
    name = f"crmlib_src_{uuid.uuid4().hex[:12]}"

    def run(sql, session_zone):
        return rel.query(name, sql.replace("__SOURCE__", name)).df()

    return Source(DUCKDB, "a DuckDB relation", columns, "__SOURCE__", run, kind="relation")


def _spark_source(frame) -> Source:
    columns = {f.name: f.dataType.simpleString().upper() for f in frame.schema.fields}
    spark = frame.sparkSession
    name = f"crmlib_src_{uuid.uuid4().hex[:12]}"
    frame.createOrReplaceTempView(name)

    def run(sql, session_zone):
        settings = {"spark.sql.execution.arrow.pyspark.enabled": "true"}
        if session_zone is not None:
            settings["spark.sql.session.timeZone"] = session_zone
        before = {k: spark.conf.get(k, None) for k in settings}
        try:
            for k, val in settings.items():
                spark.conf.set(k, val)
            with warnings.catch_warnings():
                # pyspark's notes on pandas versions and Arrow fallbacks are not the caller's business
                warnings.simplefilter("ignore")
                return spark.sql(sql).toPandas()
        finally:
            for k, val in before.items():
                if val is None:
                    spark.conf.unset(k)
                else:
                    spark.conf.set(k, val)

    src = Source(SPARK, "a Spark DataFrame", columns, name, run, kind="spark")
    src._cleanup.append(lambda: spark.catalog.dropTempView(name))
    return src


# ----------------------------------------------------------------------------- column kinds
_INTEGER = {
    "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "INT1", "INT2", "INT4", "INT8", "LONG", "SHORT", "BYTE",
}  # fmt: skip
_FLOAT = {"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"}


def kind_of(engine_type: str) -> str:
    """'date', 'timestamp' (naive), 'timestamptz', 'string', 'number', 'bool' or 'other'."""
    t = engine_type.upper()
    if t == "DATE":
        return "date"
    if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamptz"
    if t == "TIMESTAMP" or t.startswith("TIMESTAMP_") or t == "TIMESTAMP WITHOUT TIME ZONE":
        return "timestamp"  # DuckDB TIMESTAMP, TIMESTAMP_NS/MS/S; Spark TIMESTAMP_NTZ
    if t in ("VARCHAR", "STRING", "TEXT") or t.startswith(("VARCHAR(", "CHAR(")):
        return "string"
    if t in ("BOOLEAN", "BOOL"):
        return "bool"
    if t in _INTEGER or t in _FLOAT or t.startswith(("DECIMAL", "NUMERIC")):
        return "number"
    return "other"


def date_kind(source: Source, column: str) -> str:
    """Kind of the date column; Spark's TIMESTAMP is an instant (time-zone-aware), DuckDB's is naive."""
    t = source.columns[column].upper()
    if source.engine == "spark" and t == "TIMESTAMP":
        return "timestamptz"
    return kind_of(t)


# ----------------------------------------------------------------------------- SQL text
@dataclass(frozen=True)
class DateSpec:
    """How the engine turns the date column into local day numbers."""

    kind: str  # as date_kind
    zone: str | None = None  # convert instants (or strings with offsets) to this zone's calendar
    date_format: str | None = None  # strptime format of string dates


def date_expr(dialect: Dialect, col: str, spec: DateSpec) -> str:
    """SQL of the local calendar DATE of column ``col`` (NULL where it cannot be read)."""
    q = dialect.quote(col)
    if spec.kind == "date":
        return q
    if spec.kind == "timestamp":
        return f"CAST({q} AS DATE)"
    if spec.kind == "timestamptz":
        return dialect.local_date(q, spec.zone)
    if spec.kind == "string":
        if spec.date_format is not None:
            return f"CAST({dialect.parse(q, spec.date_format)} AS DATE)"
        if spec.zone is not None:  # strings with UTC offsets, converted to the calendar of another zone
            return dialect.local_date(dialect.instant(q), spec.zone)
        return f"TRY_CAST(substr({q}, 1, 10) AS DATE)"  # the wall-clock date written in the string
    raise ValueError(spec.kind)


def bad_date_predicate(dialect: Dialect, col: str, spec: DateSpec) -> str | None:
    """SQL that is true for a present string date that cannot be read (None: the type is a date)."""
    if spec.kind != "string":
        return None
    q = dialect.quote(col)
    if spec.date_format is not None:
        return f"({q} IS NOT NULL AND {dialect.parse(q, spec.date_format)} IS NULL)"
    return (
        f"({q} IS NOT NULL AND NOT ({dialect.matches(q, ISO_PATTERN)} "
        f"AND TRY_CAST(substr({q}, 1, 10) AS DATE) IS NOT NULL))"
    )


def checks_sql(source: Source, customer_col, date_col, amount_col, spec: DateSpec) -> str:
    """One pass over the log: counts of bad values and the first and last local day."""
    d = source.dialect
    c, t = d.quote(customer_col), d.quote(date_col)
    day = d.day(date_expr(d, date_col, spec))
    parts = [
        "COUNT(*) AS n_rows",
        f"COUNT(*) FILTER (WHERE {c} IS NULL) AS n_missing_ids",
        f"COUNT(*) FILTER (WHERE {t} IS NULL) AS n_missing_dates",
    ]
    bad = bad_date_predicate(d, date_col, spec)
    if bad is not None:
        parts.append(f"COUNT(*) FILTER (WHERE {bad}) AS n_bad_dates")
        good = f"{t} IS NOT NULL AND NOT {bad}"
        if spec.date_format is None:
            off = f"regexp_extract({t}, {_literal(OFFSET_PATTERN)}, 1)"
            off_norm = f"CASE WHEN {off} = 'Z' THEN '+0000' ELSE rpad(replace({off}, ':', ''), 5, '0') END"
            parts += [
                f"COUNT(*) FILTER (WHERE {good} AND {off} = '') AS n_naive",
                f"COUNT(*) FILTER (WHERE {good} AND {off} <> '') AS n_aware",
                f"MIN(CASE WHEN {good} AND {off} <> '' THEN {off_norm} END) AS min_offset",
                f"MAX(CASE WHEN {good} AND {off} <> '' THEN {off_norm} END) AS max_offset",
            ]
        day = f"CASE WHEN {good} THEN {day} END"
    parts += [f"MIN({day}) AS first_day", f"MAX({day}) AS last_day"]
    if amount_col is not None:
        a = f"CAST({d.quote(amount_col)} AS DOUBLE)"
        for key, pred in amount_predicates(a).items():
            parts.append(f"COUNT(*) FILTER (WHERE {pred}) AS n_{key}_amounts")
    return f"SELECT {', '.join(parts)} FROM {source.table}"


def amount_predicates(a: str) -> dict:
    """The amount rule of crmlib._validate.amounts in SQL: missing, negative or infinite, above 1e15."""
    inf = "CAST('Infinity' AS DOUBLE)"
    return {
        "missing": f"({a} IS NULL OR isnan({a}))",
        "negative": f"(NOT isnan({a}) AND ({a} < 0 OR {a} = {inf}))",
        "huge": f"(NOT isnan({a}) AND {a} >= 0 AND {a} < {inf} AND {a} > 1e15)",
    }


def locate_sql(source: Source, predicate: str, customer_col, date_col, amount_col) -> str:
    """The first offending row: its file and row number for Parquet files, else its customer and date."""
    d = source.dialect
    a = f"CAST({d.quote(amount_col)} AS DOUBLE)" if amount_col else "NULL"
    cols = f"{d.quote(customer_col)} AS c, CAST({d.quote(date_col)} AS STRING) AS t, {a} AS a"
    if source.kind == "parquet":
        table = source.table[:-1] + ", filename = true, file_row_number = true)"
        return (
            f"SELECT {cols}, filename AS f, file_row_number AS r FROM {table} WHERE {predicate} ORDER BY f, r LIMIT 1"
        )
    # the first in scan order (DuckDB keeps it with preserve_insertion_order, its default; Spark's
    # LIMIT reads the partitions in order)
    return f"SELECT {cols} FROM {source.table} WHERE {predicate} LIMIT 1"


def _occasions_sql(source: Source, customer_col, date_col, amount_col, spec: DateSpec, obs_end: int) -> str:
    d = source.dialect
    day = d.day(date_expr(d, date_col, spec))
    amount = f", CAST({d.quote(amount_col)} AS DOUBLE) AS a" if amount_col else ""
    summed = ", SUM(a) AS a" if amount_col else ""
    return (
        f"src AS (SELECT {d.quote(customer_col)} AS c, {day} AS d{amount} FROM {source.table}), "
        f"occ AS (SELECT c, d{summed} FROM src WHERE d <= {int(obs_end)} GROUP BY c, d)"
    )


def summary_sql(source: Source, customer_col, date_col, amount_col, spec: DateSpec, cal_end: int, obs_end: int):
    """Per customer: first day, occasions up to cal_end and in all, last day up to cal_end, amounts.

    The rows come in no particular order (sorting millions of customers is cheaper in pandas
    than in a distributed sort, and gives exactly the pandas path's order).
    """
    cal = int(cal_end)
    money = (
        f", SUM(a) FILTER (WHERE d <= {cal}) AS total_cal, SUM(a) AS total, MIN_BY(a, d) AS first_amount"
        if amount_col
        else ""
    )
    return (
        f"WITH {_occasions_sql(source, customer_col, date_col, amount_col, spec, obs_end)}, "
        f"cust AS (SELECT c, MIN(d) AS first_day, COUNT(*) FILTER (WHERE d <= {cal}) AS n_cal, "
        f"MAX(d) FILTER (WHERE d <= {cal}) AS last_cal, COUNT(*) AS n_occ{money} FROM occ GROUP BY c) "
        f"SELECT * FROM cust WHERE first_day <= {cal}"  # sorted by pandas afterwards: one shuffle less
    )


def tracking_sql(source: Source, customer_col, date_col, spec: DateSpec, cal_end: int, obs_end: int):
    """Per day: repeat occasions and first purchases of the customers who bought by cal_end."""
    cal = int(cal_end)
    return (
        f"WITH {_occasions_sql(source, customer_col, date_col, None, spec, obs_end)}, "
        "firsts AS (SELECT c, MIN(d) AS first_day FROM occ GROUP BY c) "
        "SELECT occ.d AS d, COUNT(*) FILTER (WHERE occ.d > firsts.first_day) AS repeats, "
        "COUNT(*) FILTER (WHERE occ.d = firsts.first_day) AS firsts "
        f"FROM occ JOIN firsts ON occ.c = firsts.c WHERE firsts.first_day <= {cal} GROUP BY occ.d ORDER BY occ.d"
    )


def session_zone(source: Source, spec: DateSpec) -> str | None:
    """The session time zone a query needs (Spark computes local dates of instants in it)."""
    if source.engine != "spark":
        return None
    return spec.zone if spec.zone is not None else "UTC"
