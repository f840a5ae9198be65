"""Chapter 3, data layer: the RFM summary of a transaction log in the Fader–Hardie conventions,
holdout comparison and tracking of a fitted purchase model.

The transaction-log rules (CONTRIBUTING.md) are implemented once here, in :func:`_local_days`,
:func:`_time_unit` and :func:`crmlib._validate.amounts`, and used by both log functions:

* **dates**: time-zone-aware timestamps are converted to the *local* date in a zone the caller
  names (``tz=``; default: the data's own zone) before days are counted, so two purchases on
  different local days never merge into one UTC day; strings must be ISO 8601 dates
  ("1997-09-10") or come with an explicit ``date_format`` ("09/10/1997" is 10 September in
  one country and 9 October in another, so it is refused rather than guessed);
* **units** (``freq``): days "D", weeks "W" (days / 7), months "M" (days / 30.4375), or any
  pandas offset with a fixed or mean length of at least one day ("2W", "14D", "ME", "QE", "YE",
  ``pd.offsets.Week(2)``, ``pd.Timedelta(days=10)``);
* **amounts**: a missing (NaN) or negative amount is refused, naming the column, the count and
  the first row (the caller drops or nets them deliberately);
* **periods** are inclusive at both ends (``calibration_end="1997-09-30"`` includes that day).

Why months are days / 30.4375 and not counts of calendar months: the purchase models are in
continuous time, so one unit must be the same stretch of time for every customer. Calendar
months are 28 to 31 days long; counting them would make the same 30 days of silence 1.07
"months" in February and 0.97 in July, and a customer's age T would depend on where her first
purchase fell in the calendar. A month of 365.25 / 12 = 30.4375 days (the mean month of the
365.25-day year) keeps every time column an exact rescaling of the day counts, as weeks are
(days / 7, the convention of the published CDNOW analyses): a summary in months fits the same
model as one in days, up to the time scale. The price: a "month" step of :func:`tracking_data`
does not start on the 1st of a calendar month.
"""

from __future__ import annotations

import datetime as _dt
import os as _os

import numpy as np
import pandas as pd

from .. import _validate as v
from ..i18n import N_
from . import engines
from .models import BGNBDResult, ParetoNBDResult

__all__ = ["DAYS_PER_MONTH", "holdout_comparison", "rfm_summary", "tracking_data"]

#: Length of the month unit ``freq="M"`` in days: 365.25 / 12, the mean month of a 365.25-day year.
DAYS_PER_MONTH = 365.25 / 12

_NAMED_UNITS = {"D": (1.0, "days"), "W": (7.0, "weeks"), "M": (DAYS_PER_MONTH, "months")}

#: Word labels of the tables this module returns (rfm_summary, holdout_comparison, tracking_data),
#: marked for the Chinese edition: shown tables are labelled in Chinese, the data keep these keys.
_TABLE_LABELS = (
    N_("frequency"),
    N_("recency"),
    N_("monetary_value"),
    N_("frequency_holdout"),
    N_("monetary_value_holdout"),
    N_("duration_holdout"),
    N_("calibration frequency"),
    N_("customers"),
    N_("actual"),
    N_("predicted"),
    N_("expected"),
    N_("calibration"),
    N_("time (days)"),
    N_("time (weeks)"),
    N_("time (months)"),
)
_FREQ_HELP = (
    "'D' (days), 'W' (weeks), 'M' (months of 30.4375 days) or a pandas offset of at least one day with a "
    "fixed or mean length (e.g. '2W', '14D', 'ME', 'QE', 'YE')"
)


def _time_unit(freq) -> tuple[float, str]:
    """(length in days, plural label) of the time unit ``freq``; refuses units that make no sense."""
    if isinstance(freq, str) and freq in _NAMED_UNITS:
        return _NAMED_UNITS[freq]
    if freq is None or isinstance(freq, (bool, int, float, np.number)):
        raise TypeError(f"freq must be {_FREQ_HELP}; got {freq!r}")
    if isinstance(freq, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        days = pd.Timedelta(freq) / pd.Timedelta(days=1)
        return _checked_days(freq, days, f"{days:g}-day periods")
    offset = freq
    if isinstance(freq, str):
        from pandas.tseries.frequencies import to_offset

        try:
            offset = to_offset(freq)
        except (ValueError, TypeError):
            raise ValueError(f"freq must be {_FREQ_HELP}; got {freq!r}") from None
    if not isinstance(offset, pd.offsets.BaseOffset):
        raise TypeError(f"freq must be {_FREQ_HELP}; got {type(freq).__name__} {freq!r}")
    n = offset.n
    if n < 1:
        raise ValueError(f"freq must be a positive length of time; got {freq!r}")
    o = pd.offsets
    if isinstance(offset, o.Day):
        return _checked_days(freq, float(n), "days" if n == 1 else f"{n}-day periods")
    if isinstance(offset, o.Week):
        return 7.0 * n, "weeks" if n == 1 else f"{n}-week periods"
    if isinstance(offset, (o.MonthEnd, o.MonthBegin)):
        return DAYS_PER_MONTH * n, "months" if n == 1 else f"{n}-month periods"
    if isinstance(offset, (o.QuarterEnd, o.QuarterBegin)):
        return 3 * DAYS_PER_MONTH * n, "quarters" if n == 1 else f"{n}-quarter periods"
    if isinstance(offset, (o.YearEnd, o.YearBegin)):
        return 12 * DAYS_PER_MONTH * n, "years" if n == 1 else f"{n}-year periods"
    if isinstance(offset, o.Tick):
        days = offset.nanos / 86_400e9
        return _checked_days(freq, days, f"{days:g}-day periods")
    raise ValueError(
        f"freq must be {_FREQ_HELP}; got {freq!r}, an offset without a fixed or mean length "
        "(business days, semi-months and the like skip or stretch time)"
    )


def _checked_days(freq, days: float, label: str) -> tuple[float, str]:
    if not days >= 1:
        raise ValueError(
            f"freq must be at least one day (the time of day is ignored: purchases are counted by day); got {freq!r}"
        )
    if days > 1e6:
        raise ValueError(f"freq must be at most 10^6 days; got {freq!r}")
    return float(days), label


def _check_tz(tz):
    if tz is None:
        return None
    if isinstance(tz, (bool, int, float, np.number)):
        raise TypeError(f"tz must be a time zone such as 'Asia/Shanghai' or 'UTC' (or None); got {tz!r}")
    try:
        pd.Timestamp("2000-01-01", tz=tz)
    except Exception:  # noqa: BLE001 - pytz/zoneinfo raise several kinds of errors for unknown zones
        raise ValueError(f"tz must be a time zone such as 'Asia/Shanghai' or 'UTC' (or None); got {tz!r}") from None
    return tz


def _not_dates_message(label: str, dtype) -> str:
    return (
        f"{label} must hold dates (datetimes or ISO date strings such as '1997-09-10'); got "
        f"numbers of dtype {dtype} - convert them with pd.to_datetime(..., unit=...) first"
    )


def _mixed_zones_message(label: str) -> str:
    return (
        f"{label} mixes time zones; convert the timestamps to one zone first (e.g. "
        "pd.to_datetime(..., utc=True)) and name the zone whose calendar days count with tz="
    )


def _not_iso_message(label: str, example) -> str:
    return (
        f"{label} holds dates that are not ISO 8601 (e.g. {example!r}); a date such as "
        "'09/10/1997' is 10 September in some countries and 9 October in others, so it is not "
        "guessed: pass date_format= (e.g. '%m/%d/%Y' or '%d/%m/%Y') or convert the column with "
        "pd.to_datetime first"
    )


def _naive_tz_message(tz, label: str) -> str:
    return (
        f"tz={tz!r} converts time-zone-aware timestamps, but {label} has naive ones (no zone: "
        "they are taken as local dates already); drop tz=, or attach their zone first with "
        ".dt.tz_localize(...)"
    )


def _check_date_format(date_format):
    if date_format is not None and not isinstance(date_format, str):
        raise TypeError(f"date_format must be a strftime format such as '%d/%m/%Y' (or None); got {date_format!r}")
    return date_format


def _parse_dates(label: str, col: pd.Series, date_format) -> pd.Series:
    """``col`` as datetimes: datetime columns as they are, strings by ISO 8601 or ``date_format`` only."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return col
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        raise TypeError(_not_dates_message(label, col.dtype))
    _check_date_format(date_format)
    first = col.dropna()
    first = first.iloc[0] if len(first) else None
    try:
        if date_format is not None:
            return pd.to_datetime(col, format=date_format)
        if isinstance(first, str):
            return pd.to_datetime(col, format="ISO8601")
        return pd.to_datetime(col)
    except (ValueError, TypeError, OverflowError) as err:
        text = str(err)
        if "Mixed timezones" in text or "Tz-aware" in text or "utc=True" in text:
            raise ValueError(_mixed_zones_message(label)) from None
        if date_format is not None:
            raise ValueError(f"{label} does not match date_format={date_format!r}: {text.splitlines()[0]}") from None
        strings = col[col.map(lambda s: isinstance(s, str))]
        bad = strings[pd.to_datetime(strings, format="ISO8601", errors="coerce").isna()]
        example = bad.iloc[0] if len(bad) else first
        raise ValueError(_not_iso_message(label, example)) from None


def _local_days(frame_name: str, frame, date_col: str, *, tz, date_format):
    """Day numbers (days since 1970-01-01) of the *local* calendar dates, and the zone they are local to.

    Time-zone-aware timestamps are converted to ``tz`` (default: their own zone) and then cut to
    the date; naive timestamps are taken as local dates already (``tz`` cannot apply to them).
    """
    label = f"{frame_name}[{date_col!r}]"
    tz = _check_tz(tz)
    dates = _parse_dates(label, frame[date_col], date_format)
    if dates.isna().any():
        raise ValueError(f"{label} must not have missing dates; got {int(dates.isna().sum())} missing")
    zone = dates.dt.tz
    if zone is None:
        if tz is not None:
            raise ValueError(_naive_tz_message(tz, label))
    else:
        if tz is not None:
            dates = dates.dt.tz_convert(tz)
            zone = dates.dt.tz
        dates = dates.dt.tz_localize(None)  # the wall-clock time in that zone
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64), zone


def _as_day(name: str, value, *, zone=None, date_format=None) -> int:
    """Day number of a period end given as an ISO string, a date or a timestamp (local to ``zone``)."""
    if value is None or isinstance(value, (bool, int, float, np.number)):
        raise TypeError(f"{name} must be a date such as '1997-09-30'; got {value!r}")
    try:
        if isinstance(value, str):
            try:
                ts = pd.to_datetime(value, format="ISO8601")
            except (ValueError, TypeError):
                if date_format is None:
                    raise ValueError(
                        f"{name} must be an ISO 8601 date such as '1997-09-30' (or match date_format); got {value!r}"
                    ) from None
                ts = pd.to_datetime(value, format=date_format)
        else:
            ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name} must be a date such as '1997-09-30'; got {value!r}") from None
    if ts is pd.NaT:
        raise ValueError(f"{name} must be a date; got {value!r}")
    if ts.tzinfo is not None and zone is not None:
        ts = ts.tz_convert(zone)
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def _day_str(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def _customer_ids(frame_name: str, frame, customer_col: str) -> np.ndarray:
    ids = frame[customer_col]
    if ids.isna().any():
        raise ValueError(
            f"{frame_name}[{customer_col!r}] must not have missing customer ids; got {int(ids.isna().sum())} missing"
        )
    return ids.to_numpy()


_KINDS = (
    "a pandas DataFrame, a path or glob of Parquet/CSV files (or a list of them), a DuckDB relation "
    "or a Spark DataFrame"
)


def _open_source(transactions, connection, date_col):
    """None for a pandas DataFrame (the in-memory path); an :class:`engines.Source` for the others."""
    if isinstance(transactions, pd.DataFrame):
        if connection is not None:
            raise TypeError("connection is a DuckDB connection for files; a pandas DataFrame is summarised in memory")
        return None
    source = engines.open_source(transactions, connection=connection, date_col=date_col)
    if source is None:
        raise TypeError(f"transactions must be {_KINDS}; got {type(transactions).__name__}")
    return source


class _Columns:
    """What :func:`crmlib._validate.columns` needs of a frame: its column names."""

    def __init__(self, names):
        self.columns = list(names)


def _amounts_message(label, n_missing, n_negative, n_huge, where, value) -> str:
    """The amount rule's messages (as :func:`crmlib._validate.amounts`), for a log read by an engine."""
    if n_missing:
        return (
            f"{label} has {n_missing} missing amount(s) (first {where}); drop or fill them first: "
            "a missing amount is not 0"
        )
    if n_negative:
        return (
            f"{label} has {n_negative} negative or infinite amount(s) (first {value!r} {where}); returns and "
            "refunds are not purchases: remove them (or net them against their purchase) first"
        )
    return (
        f"{label} must be at most {v.MAX_MONEY:.0e} currency in absolute value (larger amounts overflow the "
        f"arithmetic); got {n_huge} such amount(s) (first {value!r} {where})"
    )


def _fixed_zone(offset: str):
    """A '+08:00' offset as a tzinfo (for period ends given as aware timestamps)."""
    sign = -1 if offset[0] == "-" else 1
    return _dt.timezone(sign * _dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))


def _offset_text(norm: str) -> str:
    return f"{norm[:3]}:{norm[3:5]}"  # '+0800' -> '+08:00'


def _zone_name(tz) -> str:
    """tz as the name an SQL engine knows ('Asia/Shanghai', 'UTC')."""
    name = getattr(tz, "key", None) or getattr(tz, "zone", None) or str(tz)
    if name in ("UTC", "utc", "Z") or str(tz) == "UTC":
        return "UTC"
    if not isinstance(name, str) or not all(ch.isalnum() or ch in "_+-/" for ch in name):
        raise ValueError(
            f"tz must be a time zone name such as 'Asia/Shanghai' or 'UTC' for a log read by an SQL engine; got {tz!r}"
        )
    return name


def _sql_log(source, customer_col, date_col, amount_col, *, tz, date_format, observation_end, calibration_end, what):
    """The shared first half of the SQL paths: checks with the pandas path's messages, and the period ends.

    Returns (DateSpec, first_day, cal_end, obs_end) with days counted since 1970-01-01.
    """
    label = f"transactions[{date_col!r}]"
    tz = _check_tz(tz)
    _check_date_format(date_format)
    kind = engines.date_kind(source, date_col)
    files = len(source.files) > 1 and source.per_file_types is not None
    # ---- types (from the schema, before reading a row)
    if files and kind in ("string", "timestamptz", "timestamp"):
        kinds = {f: engines.kind_of(t) for f, t in source.per_file_types(date_col).items()}
        if "timestamptz" in kinds.values() and set(kinds.values()) - {"timestamptz"}:
            raise ValueError(_mixed_zones_message(label))
    if kind in ("number", "bool"):
        raise TypeError(_not_dates_message(label, source.columns[date_col]))
    if kind == "other":
        raise TypeError(
            f"{label} must hold dates (dates, timestamps or ISO date strings such as '1997-09-10'); got "
            f"type {source.columns[date_col]}"
        )
    if date_format is not None and kind != "string":
        date_format = None  # as in pandas: a format only applies to strings
    if kind == "string" and date_format is not None and ("%z" in date_format or "%Z" in date_format):
        raise ValueError(
            f"date_format={date_format!r} reads a zone from each string, which the SQL engines do not do "
            "row by row; use ISO 8601 strings with UTC offsets ('1997-09-10T10:00+08:00') or timestamps"
        )
    if source.engine == "spark" and kind == "string" and date_format is not None:
        engines.java_pattern(date_format)  # refuses codes it cannot translate
    if files:
        for col in [customer_col] + ([amount_col] if amount_col else []):
            if engines.kind_of(source.columns[col]) in ("string", "other"):
                types = source.per_file_types(col)
                if len(set(types.values())) > 1:
                    shown = ", ".join(f"{t} in {_os.path.basename(f)}" for f, t in list(types.items())[:4])
                    raise TypeError(
                        f"transactions[{col!r}] has different types in different files ({shown}); "
                        "convert the column to one type in every file first"
                    )
    if amount_col is not None and engines.kind_of(source.columns[amount_col]) != "number":
        raise TypeError(
            f"transactions[{amount_col!r}] must hold numbers (amounts); got dtype {source.columns[amount_col]}"
        )
    zone = None
    if kind == "timestamptz":
        zone = _zone_name(tz) if tz is not None else None
        if zone is None:
            own = {z for z in source.own_zones.get(date_col, set()) if z}
            if len(own) > 1:
                raise ValueError(_mixed_zones_message(label))
            if not own:
                default = "spark.sql.session.timeZone" if source.engine == "spark" else "the TimeZone setting"
                raise ValueError(
                    f"{label} holds time-zone-aware timestamps (instants) whose own zone {source.description} "
                    f"does not record; name the zone whose calendar days count with tz= (e.g. tz='Asia/Shanghai' "
                    f"or tz='UTC'; the engine would otherwise use {default})"
                )
            zone = own.pop()
    elif kind == "string" and tz is not None and date_format is None:
        zone = _zone_name(tz)
    elif kind in ("date", "timestamp") and tz is not None:
        raise ValueError(_naive_tz_message(tz, label))
    spec = engines.DateSpec(kind, zone, date_format if kind == "string" else None)
    # ---- one pass of checks
    checks = source.query(
        engines.checks_sql(source, customer_col, date_col, amount_col, spec),
        session_zone=engines.session_zone(source, spec),
    ).iloc[0]
    if int(checks["n_rows"]) == 0:
        raise ValueError(f"transactions must not be empty; got 0 rows in {source.description}")
    if int(checks["n_missing_ids"]):
        raise ValueError(
            f"transactions[{customer_col!r}] must not have missing customer ids; got {int(checks['n_missing_ids'])} "
            "missing"
        )
    if "n_bad_dates" in checks and int(checks["n_bad_dates"]):
        pred = engines.bad_date_predicate(source.dialect, date_col, spec)
        example = source.query(engines.locate_sql(source, pred, customer_col, date_col, None)).iloc[0]["t"]
        if date_format is not None:
            raise ValueError(
                f"{label} does not match date_format={date_format!r}: {int(checks['n_bad_dates'])} date(s) such as "
                f"{example!r}"
            )
        raise ValueError(_not_iso_message(label, example))
    zone_of_data = zone
    if "n_aware" in checks:
        n_aware, n_naive = int(checks["n_aware"]), int(checks["n_naive"])
        if n_aware and (n_naive or checks["min_offset"] != checks["max_offset"]):
            raise ValueError(_mixed_zones_message(label))
        if n_aware and zone is None:
            zone_of_data = _offset_text(checks["min_offset"])
        if n_naive and tz is not None:
            raise ValueError(_naive_tz_message(tz, label))
    if int(checks["n_missing_dates"]):
        raise ValueError(f"{label} must not have missing dates; got {int(checks['n_missing_dates'])} missing")
    first_day, last_day = int(checks["first_day"]), int(checks["last_day"])
    if zone_of_data is not None and zone_of_data[0] in "+-":
        zone_of_data = _fixed_zone(zone_of_data)
    obs_end = (
        last_day
        if observation_end is None
        else _as_day("observation_end", observation_end, zone=zone_of_data, date_format=date_format)
    )
    cal_end = (
        obs_end
        if calibration_end is None
        else _as_day("calibration_end", calibration_end, zone=zone_of_data, date_format=date_format)
    )
    if cal_end > obs_end:
        raise ValueError(
            f"calibration_end must not be after observation_end (dates out of order); got "
            f"calibration_end={_day_str(cal_end)} > observation_end={_day_str(obs_end)}"
        )
    if amount_col is not None:
        counts = {k: int(checks[f"n_{k}_amounts"]) for k in ("missing", "negative", "huge")}
        bad = next((k for k in ("missing", "negative", "huge") if counts[k]), None)
        if bad is not None:
            a = f"CAST({source.dialect.quote(amount_col)} AS DOUBLE)"
            pred = engines.amount_predicates(a)[bad]
            where, value = _locate(source, pred, customer_col, date_col, amount_col)
            raise ValueError(
                _amounts_message(
                    f"transactions[{amount_col!r}]",
                    counts["missing"],
                    counts["negative"],
                    counts["huge"],
                    where,
                    value,
                )
            )
    if obs_end < first_day:
        raise ValueError(
            f"observation_end={_day_str(obs_end)} is before every transaction (first on "
            f"{_day_str(first_day)}); nothing to {what}"
        )
    if cal_end < first_day:
        raise ValueError(
            f"calibration_end={_day_str(cal_end)} leaves an empty calibration period: no customer "
            f"bought on or before it (first purchase {_day_str(first_day)})"
        )
    return spec, first_day, cal_end, obs_end


def _locate(source, predicate, customer_col, date_col, amount_col):
    """(where, amount) of the first offending row: 'at row 5 of 'x.parquet'' or 'in the row of customer 7 ...'."""
    try:
        row = source.query(engines.locate_sql(source, predicate, customer_col, date_col, amount_col)).iloc[0]
    except Exception:  # noqa: BLE001 - the count is the message; the location is a courtesy
        return "in the data", None
    value = None if pd.isna(row["a"]) else float(row["a"])
    if "r" in row:
        return f"at row {int(row['r'])} of {_os.path.basename(row['f'])!r}", value
    customer = row["c"].item() if hasattr(row["c"], "item") else row["c"]
    return f"in the row of customer {customer!r} dated {row['t']}", value


def _rfm_from_engine(
    source, customer_col, date_col, amount_col, calibration_end, observation_end, unit, *, tz, date_format
):
    spec, _, cal_end, obs_end = _sql_log(
        source, customer_col, date_col, amount_col, tz=tz, date_format=date_format,
        observation_end=observation_end, calibration_end=calibration_end, what="summarise",
    )  # fmt: skip
    cust = source.query(
        engines.summary_sql(source, customer_col, date_col, amount_col, spec, cal_end, obs_end),
        session_zone=engines.session_zone(source, spec),
    )
    money = amount_col is not None
    ids = cust["c"].to_numpy()
    if np.issubdtype(ids.dtype, np.integer):
        ids = ids.astype(np.int64)  # as the pandas path (engines may give int32 for INTEGER columns)
    frame = _assemble(
        ids,
        cust["first_day"].to_numpy(np.int64),
        cust["n_cal"].to_numpy(np.int64),
        cust["last_cal"].to_numpy(np.int64),
        cust["n_occ"].to_numpy(np.int64),
        cust["total_cal"].to_numpy(float) if money else None,
        cust["total"].to_numpy(float) if money else None,
        cust["first_amount"].to_numpy(float) if money else None,
        cal_end,
        obs_end,
        unit,
        customer_col,
    )
    return frame.sort_index()  # the pandas path's order


def _assemble(
    ids, first_day, n_cal, last_cal, n_occ, total_cal, total, first_amount, cal_end, obs_end, unit, customer_col
):
    """The summary frame from per-customer counts and sums (shared by the pandas and the SQL paths).

    Days may be counted from any origin (only differences are used); amounts are None without
    an amount column.
    """
    x = (n_cal - 1).astype(np.int64)
    out = {"frequency": x, "recency": (last_cal - first_day) / unit, "T": (cal_end - first_day) / unit}
    if total_cal is not None:
        rep = total_cal - first_amount
        out["monetary_value"] = np.where(x > 0, rep / np.maximum(x, 1), 0.0)
    if obs_end > cal_end:
        n_hold = n_occ - n_cal
        out["frequency_holdout"] = n_hold.astype(np.int64)
        if total_cal is not None:
            tot_hold = total - total_cal
            out["monetary_value_holdout"] = np.where(n_hold > 0, tot_hold / np.maximum(n_hold, 1), 0.0)
        out["duration_holdout"] = np.full(x.size, (obs_end - cal_end) / unit)
    return pd.DataFrame(out, index=pd.Index(ids, name=customer_col))


def rfm_summary(
    transactions,
    customer_col,
    date_col,
    amount_col=None,
    calibration_end=None,
    observation_end=None,
    freq="W",
    *,
    tz=None,
    date_format=None,
    connection=None,
):
    """Frequency, recency, age and monetary value of each customer, in the Fader–Hardie conventions.

    * purchases of one customer on the same (local) day form one purchase occasion (amounts summed);
    * ``frequency`` x = number of repeat occasions (occasions after the first) up to
      ``calibration_end``;
    * ``recency`` t_x = time from the first to the last occasion, ``T`` = time from the first
      occasion to ``calibration_end``, both in the unit ``freq`` as exact fractions of the day
      counts (weeks = days / 7, as in the published CDNOW analyses; months = days / 30.4375,
      see the module docstring for why);
    * ``monetary_value`` = mean amount of the repeat occasions (0 when x = 0);
    * with ``calibration_end`` before ``observation_end``: ``frequency_holdout`` (occasions in
      the holdout period), ``monetary_value_holdout`` and ``duration_holdout``.

    Customers whose first purchase is after ``calibration_end`` are left out. A pandas
    DataFrame is summarised in memory by a handful of vectorised NumPy passes (one sort), fast on
    tens of millions of rows. Logs larger than memory stay where they are: files are summarised
    out of core by DuckDB, a DuckDB relation in its own connection and a Spark DataFrame by its
    own session, each with the same SQL (:mod:`crmlib.clv.engines`); only the per-customer
    summary comes back. All paths follow the same rules, give the same numbers (amounts up to the
    order of floating-point sums) and raise the same errors.

    Parameters
    ----------
    transactions : pandas.DataFrame, path, DuckDB relation or Spark DataFrame
        One row per transaction: a DataFrame; a Parquet or CSV file, a folder of them, a glob
        ("logs/2024-*.parquet", "logs/**/*.csv") or a list of paths (read by DuckDB; CSV dates
        are read as text and follow the string rules below); a ``duckdb.DuckDBPyRelation``; or a
        ``pyspark.sql.DataFrame`` (install ``crmlib[spark]``). Time-zone-aware timestamps that
        carry no zone of their own (DuckDB ``TIMESTAMP WITH TIME ZONE`` not written by
        pandas/Arrow, Spark ``TIMESTAMP``) need ``tz=``.
    customer_col, date_col : str
        Columns with the customer id and the date: datetimes (naive ones are local dates;
        time-zone-aware ones are converted to the local date in ``tz``), or strings in ISO 8601
        ("1997-09-10") unless ``date_format`` is given. The time of day is ignored.
    amount_col : str, optional
        Column with the transaction value (currency). A missing (NaN) or negative amount is
        refused, naming the column, the count and the first row: drop or net them first.
    calibration_end : date-like, optional
        Last day (inclusive) of the calibration period; default: the last date in the data.
    observation_end : date-like, optional
        Last day (inclusive) of the holdout period; default: the last date in the data.
        Transactions after it are ignored.
    freq : str, pandas offset or Timedelta, default "W"
        Time unit of recency, T and durations: "D" days, "W" weeks, "M" months of 30.4375 days,
        or any pandas offset of at least one day with a fixed or mean length ("2W", "14D",
        "ME" = "M", "QE" = 3 months, "YE" = 12 months).
    tz : str or tzinfo, optional
        Time zone whose calendar days count, for time-zone-aware timestamps (e.g.
        "Asia/Shanghai"); default: the data's own zone. Refused for naive timestamps.
    date_format : str, optional
        strftime format of string dates that are not ISO 8601 (e.g. "%d/%m/%Y"); also used for
        string period ends.
    connection : duckdb.DuckDBPyConnection, optional
        For files: the DuckDB connection that reads them, e.g. one with a memory limit and a
        spill folder, ``duckdb.connect(config={"memory_limit": "3GB", "temp_directory":
        "/scratch/duckdb"})``; default: a fresh in-memory connection that spills to a temporary
        folder.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted): frequency (int), recency, T, [monetary_value],
        and the holdout columns when there is a holdout period. The model fits take its
        (frequency, recency, T) columns and fit each distinct history once, so a summary of
        millions of customers fits in seconds.

    Raises
    ------
    ValueError
        Missing columns or values, missing or negative amounts, non-ISO date strings without
        ``date_format``, ``observation_end`` before ``calibration_end`` (dates out of order), an
        empty calibration period, a unit shorter than a day or without a length.

    References
    ----------
    Fader, Hardie & Lee (2005a), section 4; Fader & Hardie, "Creating an RFM summary using
    Excel", http://brucehardie.com/notes/022/.

    Examples
    --------
    >>> log = pd.DataFrame({"id": [1, 1, 1, 2], "amount": [10.0, 5.0, 20.0, 8.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"])})
    >>> rfm_summary(log, "id", "date", "amount", calibration_end="2024-01-29", observation_end="2024-01-29").reset_index()
       id  frequency  recency    T  monetary_value
    0   1          1      2.0  4.0            20.0
    1   2          0      0.0  3.0             0.0

    Two purchases at 23:30 and 07:30 (the next morning) Shanghai time fall on two local days, but on
    one UTC day (15:30 and 23:30 UTC):

    >>> stamps = pd.to_datetime(["2024-03-01 23:30", "2024-03-02 07:30"]).tz_localize("Asia/Shanghai")
    >>> two = pd.DataFrame({"id": [7, 7], "date": stamps})
    >>> int(rfm_summary(two, "id", "date", freq="D")["frequency"].iloc[0])
    1
    >>> int(rfm_summary(two, "id", "date", freq="D", tz="UTC")["frequency"].iloc[0])
    0

    The same summary computed by DuckDB (files and relations take the same arguments):

    >>> import duckdb
    >>> by_sql = rfm_summary(duckdb.from_df(log), "id", "date", "amount", calibration_end="2024-01-29",
    ...                      observation_end="2024-01-29")
    >>> by_sql.equals(rfm_summary(log, "id", "date", "amount", calibration_end="2024-01-29",
    ...                           observation_end="2024-01-29"))
    True
    """
    source = _open_source(transactions, connection, date_col)
    required = [customer_col, date_col] + ([amount_col] if amount_col else [])
    if source is not None:
        try:
            v.columns("transactions", _Columns(source.columns), required)
            unit, _ = _time_unit(freq)
            return _rfm_from_engine(
                source, customer_col, date_col, amount_col, calibration_end, observation_end, unit, tz=tz,
                date_format=date_format,
            )  # fmt: skip
        finally:
            source.close()
    v.columns("transactions", transactions, required)
    unit, _ = _time_unit(freq)
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty; got a frame with 0 rows")
    ids = _customer_ids("transactions", transactions, customer_col)
    day, zone = _local_days("transactions", transactions, date_col, tz=tz, date_format=date_format)
    last_day = int(day.max())
    obs_end = (
        last_day
        if observation_end is None
        else _as_day("observation_end", observation_end, zone=zone, date_format=date_format)
    )
    cal_end = (
        obs_end
        if calibration_end is None
        else _as_day("calibration_end", calibration_end, zone=zone, date_format=date_format)
    )
    if cal_end > obs_end:
        raise ValueError(
            f"calibration_end must not be after observation_end (dates out of order); got "
            f"calibration_end={_day_str(cal_end)} > observation_end={_day_str(obs_end)}"
        )
    amount = v.amounts("transactions", transactions, amount_col) if amount_col is not None else None
    keep = day <= obs_end
    if not keep.any():
        raise ValueError(
            f"observation_end={_day_str(obs_end)} is before every transaction (first on "
            f"{_day_str(int(day.min()))}); nothing to summarise"
        )
    all_kept = bool(keep.all())
    id_values = ids if all_kept else ids[keep]
    if not all_kept:
        day = day[keep]
        if amount is not None:
            amount = amount[keep]
    base = int(day.min())
    day = day - base
    cal_rel, obs_rel = cal_end - base, obs_end - base
    span = int(day.max()) + 1
    n = day.size
    # customer codes: small non-negative integer ids are their own codes (no hashing needed)
    if np.issubdtype(id_values.dtype, np.integer) and id_values.min() >= 0 and id_values.max() < 2**40:
        codes, uniques = id_values.astype(np.int64, copy=False), None
    else:
        codes, uniques = pd.factorize(id_values)
        codes = codes.astype(np.int64)
    key = codes * span + day  # one integer per (customer, day)
    row_bits = max(int(n - 1).bit_length(), 1)
    if int(key.max()) < 2 ** (62 - row_bits):
        # sort (customer, day, row) packed in one int64: np.sort is much faster than argsort
        packed = (key << row_bits) | np.arange(n, dtype=np.int64)
        packed.sort()
        order = packed & ((1 << row_bits) - 1)
        key = packed >> row_bits
        del packed
    else:
        order = np.argsort(key)
        key = key[order]
    new_occ = np.empty(n, dtype=bool)
    new_occ[0] = True
    np.not_equal(key[1:], key[:-1], out=new_occ[1:])
    starts = np.flatnonzero(new_occ)
    del new_occ
    occ_key = key[starts]
    del key
    occ_cust = occ_key // span
    occ_day = occ_key - occ_cust * span
    occ_amt = np.add.reduceat(amount[order], starts) if amount is not None else None
    del order, starts, occ_key
    # customer blocks (occasions sorted by customer, then day)
    chg = np.empty(occ_cust.size, dtype=bool)
    chg[0] = True
    np.not_equal(occ_cust[1:], occ_cust[:-1], out=chg[1:])
    first_idx = np.flatnonzero(chg)
    del chg
    first_day = occ_day[first_idx]
    cust = occ_cust[first_idx]
    in_cal_cust = first_day <= cal_rel
    if not in_cal_cust.any():
        raise ValueError(
            f"calibration_end={_day_str(cal_end)} leaves an empty calibration period: no customer "
            f"bought on or before it (first purchase {_day_str(base)})"
        )
    n_occ = np.diff(np.r_[first_idx, occ_day.size])
    holdout = obs_rel > cal_rel
    if holdout:
        is_cal = occ_day <= cal_rel
        n_cal = np.add.reduceat(is_cal.astype(np.int64), first_idx)
        last_cal = np.maximum.reduceat(np.where(is_cal, occ_day, -1), first_idx)
    else:
        n_cal = n_occ
        last_cal = np.maximum.reduceat(occ_day, first_idx)
    if amount is not None:
        tot_cal = np.add.reduceat(np.where(is_cal, occ_amt, 0.0) if holdout else occ_amt, first_idx)
    keep = in_cal_cust
    frame = _assemble(
        cust[keep] if uniques is None else np.asarray(uniques)[cust[keep]],
        first_day[keep],
        n_cal[keep],
        last_cal[keep],
        n_occ[keep],
        tot_cal[keep] if amount is not None else None,
        np.add.reduceat(occ_amt, first_idx)[keep] if amount is not None else None,
        occ_amt[first_idx][keep] if amount is not None else None,
        cal_rel,
        obs_rel,
        unit,
        customer_col,
    )
    return frame if uniques is None else frame.sort_index()


def holdout_comparison(model, summary, max_frequency=7):
    """Mean holdout purchases, actual vs predicted, by calibration frequency (FHL 2005a, Figure 4).

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
    summary : pandas.DataFrame
        An ``rfm_summary`` with holdout columns (``frequency_holdout``, ``duration_holdout``).
    max_frequency : int, default 7
        Frequencies above it are pooled into one ``max_frequency+`` group (1 … 1,000).

    Returns
    -------
    pandas.DataFrame
        Index: calibration frequency group; columns customers, actual, predicted.
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    v.columns("summary", summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"])
    k = v.integer("max_frequency", max_frequency, minimum=1, maximum=1000)
    if len(summary) == 0:
        raise ValueError("summary must not be empty; got a frame with 0 rows")
    pred = model.conditional_expected_purchases(
        float(summary["duration_holdout"].iloc[0]), summary["frequency"], summary["recency"], summary["T"]
    )
    grp = np.minimum(summary["frequency"].to_numpy(), k)
    labels = [str(i) for i in range(k)] + [f"{k}+"]
    df = pd.DataFrame(
        {
            "group": pd.Categorical([labels[g] for g in grp], categories=labels, ordered=True),
            "actual": summary["frequency_holdout"].to_numpy(float),
            "predicted": np.asarray(pred, float),
        }
    )
    out = df.groupby("group", observed=True).agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    out.index.name = "calibration frequency"
    return out


def tracking_data(
    model,
    transactions,
    customer_col,
    date_col,
    calibration_end,
    observation_end=None,
    freq="W",
    *,
    tz=None,
    date_format=None,
    connection=None,
):
    """Cumulative repeat purchases of the whole cohort per time step, actual vs model (FHL 2005a, Figure 2).

    The expected curve is Σ_i E[X(t - s_i)] over customers with first purchase s_i < t,
    using the model's unconditional expectation; same-day purchases count once. Dates, time
    zones and units follow the same rules as :func:`rfm_summary` (the model must have been
    fitted in the same unit ``freq``). Step k covers the days that start before k units after
    the first day of the log; with fractional units (months of 30.4375 days) a step is 30 or
    31 whole days, and the last incomplete step is left out.

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
        Fitted in the time unit ``freq``.
    transactions : pandas.DataFrame, path, DuckDB relation or Spark DataFrame
        One row per transaction, as in :func:`rfm_summary`: files, relations and Spark
        DataFrames are reduced by their engine to counts per day, out of core.
    customer_col, date_col : str
        Columns with the customer id and the date (as in :func:`rfm_summary`).
    calibration_end : date-like
        Last day (inclusive) of the calibration period.
    observation_end : date-like, optional
        Last day (inclusive) tracked; default: the last date in the data.
    freq : str, pandas offset or Timedelta, default "W"
        Time step, as in :func:`rfm_summary`.
    tz, date_format, connection
        As in :func:`rfm_summary`.

    Returns
    -------
    pandas.DataFrame
        Index: time since the start of the log (in ``freq`` units, 1, 2, ...); columns
        actual, expected (cumulative repeat purchases), and calibration (bool: the step ends on
        or before ``calibration_end``).
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    source = _open_source(transactions, connection, date_col)
    if source is not None:
        try:
            v.columns("transactions", _Columns(source.columns), [customer_col, date_col])
            unit, label = _time_unit(freq)
            spec, base, cal_end, obs_end = _sql_log(
                source, customer_col, date_col, None, tz=tz, date_format=date_format,
                observation_end=observation_end, calibration_end=calibration_end, what="track",
            )  # fmt: skip
            days = source.query(
                engines.tracking_sql(source, customer_col, date_col, spec, cal_end, obs_end),
                session_zone=engines.session_zone(source, spec),
            )
        finally:
            source.close()
        d = days["d"].to_numpy(np.int64) - base
        repeats, firsts = days["repeats"].to_numpy(np.int64), days["firsts"].to_numpy(np.int64)
        return _tracking_frame(
            model, freq, unit, label, base, cal_end, obs_end, d[repeats > 0], repeats[repeats > 0],
            d[firsts > 0], firsts[firsts > 0],
        )  # fmt: skip
    v.columns("transactions", transactions, [customer_col, date_col])
    unit, label = _time_unit(freq)
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty; got a frame with 0 rows")
    ids = _customer_ids("transactions", transactions, customer_col)
    day, zone = _local_days("transactions", transactions, date_col, tz=tz, date_format=date_format)
    obs_end = (
        int(day.max())
        if observation_end is None
        else _as_day("observation_end", observation_end, zone=zone, date_format=date_format)
    )
    cal_end = _as_day("calibration_end", calibration_end, zone=zone, date_format=date_format)
    if cal_end > obs_end:
        raise ValueError(
            f"calibration_end must not be after observation_end (dates out of order); got "
            f"{_day_str(cal_end)} > {_day_str(obs_end)}"
        )
    occ = pd.DataFrame({"c": ids, "d": day}).drop_duplicates()
    occ = occ[occ["d"] <= obs_end]
    if occ.empty:
        raise ValueError(f"observation_end={_day_str(obs_end)} is before every transaction; nothing to track")
    base = int(occ["d"].min())
    first = occ.groupby("c")["d"].transform("min")
    first_per_customer = occ.groupby("c")["d"].min()
    first_per_customer = first_per_customer[first_per_customer <= cal_end]
    if first_per_customer.empty:
        raise ValueError(
            f"calibration_end={_day_str(cal_end)} leaves an empty calibration period: no customer "
            f"bought on or before it (first purchase {_day_str(base)})"
        )
    occ = occ[occ["c"].isin(first_per_customer.index)]
    first = first.loc[occ.index]
    r_days, r_counts = np.unique((occ["d"][occ["d"] > first] - base).to_numpy(), return_counts=True)
    s_days, s_counts = np.unique((first_per_customer - base).to_numpy(), return_counts=True)
    return _tracking_frame(model, freq, unit, label, base, cal_end, obs_end, r_days, r_counts, s_days, s_counts)


def _tracking_frame(model, freq, unit, label, base, cal_end, obs_end, r_days, r_counts, s_days, s_counts):
    """Actual and expected cumulative repeat purchases from the day counts of repeat and first purchases.

    ``r_days``/``r_counts``: days (since ``base``, sorted) with repeat occasions and how many;
    ``s_days``/``s_counts``: days of first purchases (of customers who bought by ``cal_end``).
    """
    n_steps = int(np.floor((obs_end - base + 1) / unit))
    if n_steps < 1:
        raise ValueError(f"freq={freq!r} is longer than the {obs_end - base + 1} days tracked; choose a shorter unit")
    edges = np.arange(1, n_steps + 1) * unit  # end of each step, in days since base (exclusive)
    last = np.ceil(edges) - 1  # the last whole day counted in each step
    cum = np.r_[0, np.cumsum(r_counts)]
    actual = cum[np.searchsorted(r_days, edges, side="left")]
    expected = np.zeros(n_steps)
    for sd, cnt in zip(s_days, s_counts):
        # a customer who first bought on day sd can repeat from day sd+1 on; by the end of
        # step k (day last[k] included) she has had (last[k] - sd) days
        age = np.maximum(last - sd, 0) / unit
        expected += cnt * np.asarray(model.expected_purchases(age), float)
    idx = pd.Index(np.arange(1, n_steps + 1), name=f"time ({label})")
    return pd.DataFrame(
        {"actual": actual.astype(int), "expected": expected, "calibration": last <= cal_end - base}, index=idx
    )
