"""Chapter 3, data layer: the RFM summary of a transaction log in the Fader–Hardie conventions,
holdout comparison and weekly tracking of a fitted purchase model."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from .models import BGNBDResult, ParetoNBDResult


_UNIT_DAYS = {"D": 1.0, "W": 7.0}


def rfm_summary(transactions, customer_col, date_col, amount_col=None, calibration_end=None,
                observation_end=None, freq="W"):
    """Frequency, recency, age and monetary value of each customer, in the Fader–Hardie conventions.

    * purchases of one customer on the same day form one purchase occasion (amounts summed);
    * ``frequency`` x = number of repeat occasions (occasions after the first) up to
      ``calibration_end``;
    * ``recency`` t_x = time from the first to the last occasion, ``T`` = time from the first
      occasion to ``calibration_end``, both in the unit ``freq`` as exact fractions (weeks =
      days / 7, as in the published CDNOW analyses);
    * ``monetary_value`` = mean amount of the repeat occasions (0 when x = 0);
    * with ``calibration_end`` before ``observation_end``: ``frequency_holdout`` (occasions in
      the holdout period), ``monetary_value_holdout`` and ``duration_holdout``.

    Customers whose first purchase is after ``calibration_end`` are left out. The work is a
    handful of vectorised NumPy passes (one sort), fast on tens of millions of rows.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_col, date_col : str
        Columns with the customer id and the date (datetime-like; the time of day is ignored).
    amount_col : str, optional
        Column with the transaction value (>= 0, currency).
    calibration_end : date-like, optional
        Last day (inclusive) of the calibration period; default: the last date in the data.
    observation_end : date-like, optional
        Last day (inclusive) of the holdout period; default: the last date in the data.
        Transactions after it are ignored.
    freq : {"W", "D"}
        Time unit of recency, T and durations: weeks or days.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted): frequency (int), recency, T, [monetary_value],
        and the holdout columns when there is a holdout period.

    Raises
    ------
    ValueError
        Missing columns or values, negative amounts, ``observation_end`` before
        ``calibration_end`` (dates out of order), an empty calibration period.

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
    """
    v.columns("transactions", transactions, [customer_col, date_col] + ([amount_col] if amount_col else []))
    v.one_of("freq", freq, list(_UNIT_DAYS))
    unit = _UNIT_DAYS[freq]
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty; got a frame with 0 rows")
    ids = transactions[customer_col]
    if ids.isna().any():
        raise ValueError(f"transactions[{customer_col!r}] must not have missing customer ids; "
                         f"got {int(ids.isna().sum())} missing")
    dates = transactions[date_col]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        try:
            dates = pd.to_datetime(dates)
        except (ValueError, TypeError):
            raise TypeError(f"transactions[{date_col!r}] must hold dates; got values like {dates.iloc[0]!r}") from None
    if dates.isna().any():
        raise ValueError(f"transactions[{date_col!r}] must not have missing dates; got {int(dates.isna().sum())} missing")
    day = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    last_day = int(day.max())
    obs_end = last_day if observation_end is None else _as_day("observation_end", observation_end)
    cal_end = obs_end if calibration_end is None else _as_day("calibration_end", calibration_end)
    if cal_end > obs_end:
        raise ValueError(f"calibration_end must not be after observation_end (dates out of order); got "
                         f"calibration_end={_day_str(cal_end)} > observation_end={_day_str(obs_end)}")
    if amount_col is not None:
        amount = v.as_float(f"transactions[{amount_col!r}]", transactions[amount_col].to_numpy())
        amount = np.atleast_1d(amount)
        if (amount < 0).any():
            i = int(np.flatnonzero(amount < 0)[0])
            raise ValueError(f"transactions[{amount_col!r}] must be >= 0 (amounts are purchase values); got "
                             f"{amount[i]!r} at row {i}; remove returns or net them out first")
    keep = day <= obs_end
    if not keep.any():
        raise ValueError(f"observation_end={_day_str(obs_end)} is before every transaction (first on "
                         f"{_day_str(int(day.min()))}); nothing to summarise")
    all_kept = bool(keep.all())
    id_values = ids.to_numpy() if all_kept else ids.to_numpy()[keep]
    if not all_kept:
        day = day[keep]
        if amount_col is not None:
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
    key = codes * span + day                      # one integer per (customer, day)
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
    occ_amt = np.add.reduceat(amount[order], starts) if amount_col is not None else None
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
        raise ValueError(f"calibration_end={_day_str(cal_end)} leaves an empty calibration period: no customer "
                         f"bought on or before it (first purchase {_day_str(base)})")
    n_occ = np.diff(np.r_[first_idx, occ_day.size])
    holdout = obs_rel > cal_rel
    if holdout:
        is_cal = occ_day <= cal_rel
        n_cal = np.add.reduceat(is_cal.astype(np.int64), first_idx)
        last_cal = np.maximum.reduceat(np.where(is_cal, occ_day, -1), first_idx)
    else:
        n_cal = n_occ
        last_cal = np.maximum.reduceat(occ_day, first_idx)
    x = (n_cal - 1).astype(np.int64)
    out = {"frequency": x, "recency": (last_cal - first_day) / unit, "T": (cal_rel - first_day) / unit}
    if amount_col is not None:
        tot_cal = np.add.reduceat(np.where(is_cal, occ_amt, 0.0) if holdout else occ_amt, first_idx)
        rep = tot_cal - occ_amt[first_idx]
        out["monetary_value"] = np.where(x > 0, rep / np.maximum(x, 1), 0.0)
    if holdout:
        n_hold = n_occ - n_cal
        out["frequency_holdout"] = n_hold.astype(np.int64)
        if amount_col is not None:
            tot_hold = np.add.reduceat(occ_amt, first_idx) - tot_cal
            out["monetary_value_holdout"] = np.where(n_hold > 0, tot_hold / np.maximum(n_hold, 1), 0.0)
        out["duration_holdout"] = np.full(first_idx.size, (obs_rel - cal_rel) / unit)
    index = pd.Index(cust if uniques is None else np.asarray(uniques)[cust], name=customer_col)
    frame = pd.DataFrame(out, index=index)[in_cal_cust]
    if uniques is not None:
        frame = frame.sort_index()
    return frame


def _as_day(name, value) -> int:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be a date (e.g. '1997-09-30'); got {value!r}") from None
    if ts is pd.NaT:
        raise ValueError(f"{name} must be a date; got {value!r}")
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def _day_str(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def holdout_comparison(model, summary, max_frequency=7):
    """Mean holdout purchases, actual vs predicted, by calibration frequency (FHL 2005a, Figure 4).

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
    summary : pandas.DataFrame
        An ``rfm_summary`` with holdout columns (``frequency_holdout``, ``duration_holdout``).
    max_frequency : int, default 7
        Frequencies above it are pooled into one ``max_frequency+`` group.

    Returns
    -------
    pandas.DataFrame
        Index: calibration frequency group; columns customers, actual, predicted.
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    v.columns("summary", summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"])
    k = v.integer("max_frequency", max_frequency, minimum=1)
    pred = model.conditional_expected_purchases(float(summary["duration_holdout"].iloc[0]), summary["frequency"],
                                                summary["recency"], summary["T"])
    grp = np.minimum(summary["frequency"].to_numpy(), k)
    labels = [str(i) for i in range(k)] + [f"{k}+"]
    df = pd.DataFrame({"group": pd.Categorical([labels[g] for g in grp], categories=labels, ordered=True),
                       "actual": summary["frequency_holdout"].to_numpy(float), "predicted": pred})
    out = df.groupby("group", observed=True).agg(customers=("actual", "size"), actual=("actual", "mean"),
                                                 predicted=("predicted", "mean"))
    out.index.name = "calibration frequency"
    return out


def tracking_data(model, transactions, customer_col, date_col, calibration_end, observation_end=None, freq="W"):
    """Cumulative repeat purchases of the whole cohort per week, actual vs model (FHL 2005a, Figure 2).

    The expected curve is Σ_i E[X(t - s_i)] over customers with first purchase s_i < t,
    using the model's unconditional expectation; same-day purchases count once.

    Returns
    -------
    pandas.DataFrame
        Index: time since the start of the log (in ``freq`` units, 1, 2, ...); columns
        actual, expected (cumulative repeat purchases), and calibration (bool).
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    v.columns("transactions", transactions, [customer_col, date_col])
    v.one_of("freq", freq, list(_UNIT_DAYS))
    unit = _UNIT_DAYS[freq]
    day = pd.to_datetime(transactions[date_col]).to_numpy().astype("datetime64[D]").astype(np.int64)
    obs_end = int(day.max()) if observation_end is None else _as_day("observation_end", observation_end)
    cal_end = _as_day("calibration_end", calibration_end)
    if cal_end > obs_end:
        raise ValueError(f"calibration_end must not be after observation_end (dates out of order); got "
                         f"{_day_str(cal_end)} > {_day_str(obs_end)}")
    occ = pd.DataFrame({"c": transactions[customer_col].to_numpy(), "d": day}).drop_duplicates()
    occ = occ[occ["d"] <= obs_end]
    base = int(occ["d"].min())
    first = occ.groupby("c")["d"].transform("min")
    first_per_customer = occ.groupby("c")["d"].min()
    first_per_customer = first_per_customer[first_per_customer <= cal_end]
    occ = occ[occ["c"].isin(first_per_customer.index)]
    first = first.loc[occ.index]
    repeat_days = (occ["d"][occ["d"] > first] - base).to_numpy()
    n_steps = int(np.floor((obs_end - base + 1) / unit))
    edges = np.arange(1, n_steps + 1) * unit  # end of each step, in days since base (exclusive)
    actual = np.searchsorted(np.sort(repeat_days), edges, side="left")
    s_days, s_counts = np.unique((first_per_customer - base).to_numpy(), return_counts=True)
    expected = np.zeros(n_steps)
    for sd, cnt in zip(s_days, s_counts):
        # a customer who first bought on day sd can repeat from day sd+1 on; by the end of
        # step k (day edges[k]-1 included) she has had (edges[k] - 1 - sd) days
        age = np.maximum(edges - 1 - sd, 0) / unit
        expected += cnt * np.asarray(model.expected_purchases(age), float)
    idx = pd.Index(np.arange(1, n_steps + 1), name=f"time ({'weeks' if freq == 'W' else 'days'})")
    return pd.DataFrame({"actual": actual.astype(int), "expected": expected,
                         "calibration": edges - 1 <= cal_end - base}, index=idx)


_SEGMENTS = {
    (True, True): "invest: high value, high potential (重点保持与发展)",
    (True, False): "maintain: high value, low potential (维持)",
    (False, True): "develop: low value, high potential (重点培养)",
    (False, False): "economise: low value, low potential (降低服务成本)",
}
