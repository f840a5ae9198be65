"""Chapter 2 -- loyalty types and relationship quality (客户忠诚的类型).

Classifications of loyal customers, each with its source and its cut-offs as arguments:

==========================  ==============================================================
:func:`dick_basu`           relative attitude x repeat patronage (Dick & Basu 1994)
:func:`griffin`             attachment x repeat purchase: premium / latent / inertia / none
:func:`seven_type`          the course's seven types from survey items (documented rule)
:func:`oliver_phase`        Oliver's cognitive -> affective -> conative -> action phases
:func:`loyalty_dimensions`  behavioural / intentional / emotional (Gremler & Brown 1996)
:func:`mckinsey_segment`    emotive / inertial / deliberative loyalists and three switchers
:func:`programme_view`      how customers rate loyalty programmes (five kinds)
:func:`loyalty_level`       the four levels of loyalty from an index
==========================  ==============================================================

Measurement: :func:`criteria_index` (the five measurement criteria with stated weights) and
:func:`criteria_contributions` (one customer's index, criterion by criterion),
:func:`quantified_index` (satisfaction, repurchase probability, recommendation),
:func:`loyal_signs`, and behavioural measures from a transaction log
(:func:`purchase_history`, :func:`repeat_rate`, :func:`inter_purchase_times`,
:func:`period_share`, :func:`share_of_wallet`).

Relationship quality: :func:`simulate_relationship_survey`, :func:`scale_scores`,
:func:`fit_relationship_quality` (OLS or ordered logit by statsmodels, with standardised
effects; the result is a :class:`crmlib.results.FitResult`). :func:`cronbach_alpha` is
:func:`crmlib.stats.cronbach_alpha` (the same object, re-exported here for one release).

Economics of loyalty: :data:`INDUSTRY_RATIOS`, :func:`loyal_value_ratio`,
:func:`loyal_customer_profit`, :func:`customer_delivered_value`; :func:`implied_retention` and
:func:`max_value_ratio` are :func:`crmlib.value.implied_retention` and
:func:`crmlib.value.max_value_ratio` (the same objects, re-exported here for one release).

Why loyal customers are worth more: :func:`project_customer_base` (a customer base period by
period, split into monetary and non-monetary value; one customer's lifetime value comes from
:func:`crmlib.value.clv_from_retention`) and :func:`retention_effects` (the gain from higher
retention split into the customer-number growth effect and the retention-time effect).

Building loyalty as a practice (tables with a ``source`` column, like :data:`SEVEN_TYPES`):
:func:`loyalty_strategies` (the nine strategies), :func:`loyalty_principles` (the ten principles,
each with a case), :func:`value_proposition_points` and :func:`value_points` (相似点 / 差异点 /
共鸣点), :func:`programme_keys`; :func:`satisfaction_conditions` evaluates chapter 1's
satisfaction -> repurchase curve (:func:`crmlib.satisfaction.repurchase_probability`) under
different competition and switching barriers.

Figures are in :mod:`crmlib.plotting.loyalty`, widgets in :mod:`crmlib.widgets.loyalty`.

Conventions
-----------
* Every classifier treats a score **equal to its cut-off as "high"** (``score >= cutoff``).
* Scalars give a ``str`` (or a number); lists and arrays give a NumPy array; a
  :class:`pandas.Series` gives a Series with the **same index**, named after the function.
  Several Series are **aligned by index** (customer by customer, never by position) and
  Series with different labels are refused; a Series may be combined with single values, not
  with unlabelled lists.
* Transaction logs: periods are **inclusive at both ends** (``end="1997-09-30"`` includes
  that day); a missing (NaN) or negative amount is refused (one rule,
  :func:`crmlib._validate.amounts`); time-zone-aware timestamps are counted by their local
  day in the data's own zone or in the zone named by ``tz``; string dates must be ISO dates.

Where the seven types come from
-------------------------------
Only the monopoly row survives in the course's slide text (垄断忠诚: the customer has no choice
and goes along with the seller; 低依恋、高重复购买; business travellers who must take the
train). The other six rows come from the Chinese CRM textbooks the slides draw on (the slides'
table sits in a textbook unit, 《客户关系管理》 任务8 客户忠诚度管理); the typology is commonly
attributed to textbooks such as 苏朝晖's 《客户关系管理》. We could not consult those books
here, their lists differ somewhat from book to book, and we give no page numbers. Each record
in :data:`SEVEN_TYPES` says in its ``source`` field how firmly its attachment x repeat profile is
grounded:

* **explicit in the slides**: monopoly (low attachment, high repeat);
* **explicit in Griffin (2002, ch. 2)**, whose attachment x repeat-purchase types the Chinese
  names 惰性 / 潜在 / 超值忠诚 render: inertia (low, high), latent (high, low), premium (high,
  high);
* **as Chinese textbooks give it**: price (low attachment, **low** repeat) -- price-loyal
  customers are loyal to the lowest price, not to a supplier, so their repeat purchase with any
  one firm is low (an earlier version of this module gave *high* repeat, which contradicted
  its own description "goes wherever the price is lowest");
* **the suite's reading of that textbook tradition**: convenience and incentive (low
  attachment, high repeat: location or rewards keep the customer coming back while attachment
  stays low).
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats as _sps

from . import _validate as v
from . import value as _value
from .i18n import N_, NP_, translate_frame
from .i18n import gettext as _
from .results import FitResult, _DisplayTuple, check_level, warn_if_not_converged
from .stats import cronbach_alpha
from .value import implied_retention, max_value_ratio

__all__ = [
    "ACTIONS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "DICK_BASU_CLASSES",
    "FOUR_LEVELS",
    "GRIFFIN_CLASSES",
    "INDUSTRY_RATIOS",
    "LOYAL_SIGNS",
    "MCKINSEY_SEGMENTS",
    "OLIVER_PHASES",
    "PROGRAMME_VIEWS",
    "RECOMMEND_LEVELS",
    "SATISFACTION_LEVELS",
    "SEVEN_TYPES",
    "SURVEY_SCALES",
    "TEN_PRINCIPLES",
    "CustomerBaseResult",
    "LoyaltyCriteria",
    "LoyaltyType",
    "RelationshipQualityResult",
    "RetentionEffectsResult",
    "benefit_type",
    "criteria_contributions",
    "criteria_index",
    "cronbach_alpha",
    "customer_delivered_value",
    "dick_basu",
    "fit_relationship_quality",
    "griffin",
    "implied_retention",
    "inter_purchase_times",
    "loyal_customer_profit",
    "loyal_signs",
    "loyal_value_ratio",
    "loyalty_principles",
    "loyalty_strategies",
    "loyalty_dimensions",
    "loyalty_level",
    "max_value_ratio",
    "mckinsey_segment",
    "oliver_phase",
    "period_share",
    "programme_keys",
    "project_customer_base",
    "programme_view",
    "purchase_history",
    "quantified_index",
    "repeat_rate",
    "repurchase_band",
    "retention_effects",
    "reward_points",
    "satisfaction_conditions",
    "scale_scores",
    "seven_type",
    "share_of_wallet",
    "simulate_relationship_survey",
    "value_points",
    "value_proposition_points",
]

LIKERT_MIN, LIKERT_MAX = 1, 5

# --------------------------------------------------------------------------------------
# helpers: alignment by index, labelled output
# --------------------------------------------------------------------------------------


#: Labels of the tables and classifications this module returns, marked for the Chinese edition: a
#: displayed table shows them in the notebook's language (crmlib.i18n.translate_frame); the data keep
#: these English labels, so code that indexes them works in both editions.
_TABLE_LABELS = (
    # the seven types' table (pd.DataFrame of SEVEN_TYPES) and the practice tables
    N_("name"),
    N_("attachment"),
    N_("repeat"),
    N_("driver"),
    N_("strategy"),
    N_("strategy_no"),
    N_("principle_no"),
    N_("case"),
    N_("point"),
    N_("key_no"),
    # survey items, components and classifications shown in the chapter's tables
    N_("no_alternative"),
    N_("habit"),
    N_("convenience"),
    N_("rewards"),
    N_("barriers"),
    N_("trust"),
    # the relationship-quality tables (RelationshipQualityResult): 满足感 and Cronbach's alpha
    NP_("relationship quality", "satisfaction"),
    NP_("relationship quality", "alpha"),
    N_("commitment"),
    N_("friendship"),
    N_("loyalty"),
    N_("loyalty_stage"),
    N_("behavioural"),
    N_("intentional"),
    N_("emotional"),
    N_("all three"),
    N_("behavioural + intentional"),
    N_("behavioural + emotional"),
    N_("intentional + emotional"),
    # arguments of the classifications, and the columns the chapter names after them
    N_("stays"),
    N_("deliberation"),
    N_("life_change"),
    N_("dissatisfaction"),
    N_("firm"),
    N_("rival"),
    N_("band"),
    N_("phase"),
    N_("dimensions"),
    N_("none"),
    N_("parity"),
    N_("difference"),
    N_("resonance"),
    N_("gap"),
    # criteria_contributions, purchase_history
    N_("criterion"),
    N_("score"),
    N_("weight"),
    N_("contribution"),
    N_("maximum"),
    N_("repeat_purchases"),
    N_("first"),
    N_("last"),
    N_("mean_gap_days"),
    # loyal_customer_profit
    N_("year"),
    N_("acquisition"),
    N_("base"),
    N_("spend_growth"),
    N_("cost_saving"),
    N_("referrals"),
    N_("price_premium"),
    N_("cumulative"),
    # Series names of the classifications and scores (a Series in gives a named Series out), and their inputs
    N_("dick_basu"),
    N_("griffin"),
    N_("seven_type"),
    N_("quantified_index"),
    N_("loyalty_index"),
    N_("loyalty_level"),
    N_("benefit_type"),
    N_("involvement"),
    N_("delivered_value"),
    # columns the chapter's tables build from these results (the apple stalls, the industry ratios,
    # the survey's true effects and the scales' reliability)
    N_("buyer"),
    N_("stall"),
    N_("product_value"),
    N_("ratio"),
    N_("true_effect"),
    N_("cronbach_alpha"),
    # project_customer_base: by_period, by_tenure, summary()
    N_("acquired"),
    N_("referred"),
    N_("new_customers"),
    N_("returning"),
    N_("mean_tenure"),
    N_("margin"),
    N_("service_cost"),
    N_("acquisition_spend"),
    N_("feedback"),
    N_("search"),
    N_("contracting"),
    N_("monitoring"),
    N_("monetary"),
    N_("non_monetary"),
    N_("non-monetary"),
    N_("discount_factor"),
    N_("pv_monetary"),
    N_("pv_non_monetary"),
    N_("pv_total"),
    N_("tenure"),
    N_("survival"),
    N_("kind"),
    N_("part"),
    N_("present_value"),
    N_("share_of_pv"),
    # retention_effects: by_period, summary()
    N_("effect"),
    N_("customer-number growth effect"),
    N_("retention-time effect"),
    N_("customers_baseline"),
    N_("value_per_customer_baseline"),
    N_("value_per_customer"),
    N_("number_effect"),
    N_("time_effect"),
    N_("pv_number_effect"),
    N_("pv_time_effect"),
    N_("pv_difference"),
    NP_("retention effects", "difference"),
    # satisfaction_conditions
    N_("competitive_intensity"),
    N_("switching_barrier"),
    N_("top_box_ratio"),
)


def _check_1d(named: dict) -> None:
    for k, x in named.items():
        if not isinstance(x, pd.Series) and np.ndim(x) > 1:
            raise ValueError(f"{k} must be a single value, a 1-d array or a pandas Series; got shape {np.shape(x)}")


def _numeric(**named):
    """Align numeric inputs by index (:func:`crmlib._validate.aligned`).

    Returns ``(index, {name: float ndarray}, scalar)``: ``index`` is the first Series' index (or
    None without Series) and ``scalar`` says whether every input was a single value.
    """
    _check_1d(named)
    scalar = all(np.ndim(x) == 0 for x in named.values())
    index, arrays = v.aligned(**named)
    return index, arrays, scalar


def _align(**named):
    """Align inputs of any kind (numbers, labels, booleans) by index, with the rule of ``_validate.aligned``.

    Series must carry the same labels (checked by :func:`crmlib._validate.aligned`) and are taken
    in the order of the first Series' index; single values are broadcast; unlabelled sequences may
    not be mixed with Series. Values are returned as they are (validated by the caller).
    """
    _check_1d(named)
    scalar = all(np.ndim(x) == 0 for x in named.values())
    series = {k: x for k, x in named.items() if isinstance(x, pd.Series)}
    if series:
        index, _ = v.aligned(**{k: pd.Series(0.0, index=s.index) for k, s in series.items()})
        first = next(iter(series))
        out = {}
        for k, x in named.items():
            if isinstance(x, pd.Series):
                out[k] = x.reindex(index).to_numpy()
            elif np.ndim(x) == 0:
                out[k] = np.full(len(index), x)
            else:
                raise TypeError(
                    f"{k} must be a pandas Series like {first} (inputs are aligned by index) or a single "
                    f"value; got {type(x).__name__}"
                )
        return index, out, scalar
    arrays = {}
    for k, x in named.items():
        arr = np.atleast_1d(np.asarray(x, dtype=object) if x is None else np.asarray(x))
        if arr.size == 0:
            raise ValueError(f"{k} must not be empty; got {x!r}")
        arrays[k] = arr
    sized = {k: a for k, a in arrays.items() if a.size > 1}
    if sized:
        v.same_length(**sized)
        n = len(next(iter(sized.values())))
        arrays = {k: (np.full(n, a[0]) if a.size == 1 else a) for k, a in arrays.items()}
    return None, arrays, scalar


def _labels(values, index, scalar: bool, name: str):
    """Labels shaped like the input: str for single values, a named Series on ``index``, else an array."""
    values = np.asarray(values, dtype=object)
    if index is not None:
        return pd.Series(values, index=index, name=name, dtype=object)
    if scalar:
        return str(values.ravel()[0])
    return values


def _numbers(values, index, scalar: bool, name: str):
    """Numbers shaped like the input: float for single values, a named Series on ``index``, else an array."""
    values = np.asarray(values, dtype=float)
    if index is not None:
        return pd.Series(values, index=index, name=name, dtype=float)
    if scalar:
        return float(values.ravel()[0])
    return values


def _likert(name: str, value, low=LIKERT_MIN, high=LIKERT_MAX):
    return v.in_range(name, value, low, high, unit=f"(a {low}-{high} Likert score)")


def _single(name: str, value, low, high) -> float:
    """A cut-off: one number in [low, high] (a list of cut-offs is refused)."""
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number in [{low:g}, {high:g}]; got {value!r}")
    return v.in_range(name, value, low, high)


def _booleans(name: str, arr: np.ndarray, given) -> np.ndarray:
    arr = np.asarray(arr)
    if arr.dtype != bool and not all(isinstance(x, (bool, np.bool_)) for x in arr.ravel()):
        raise TypeError(f"{name} must be True/False or an array of booleans; got {given!r}")
    return arr.astype(bool)


# --------------------------------------------------------------------------------------
# Dick & Basu (1994), Griffin
# --------------------------------------------------------------------------------------

#: Dick & Basu's four cells: (attitude high?, patronage high?) -> class.
DICK_BASU_CLASSES = MappingProxyType(
    {
        (True, True): N_("loyalty"),
        (True, False): N_("latent loyalty"),
        (False, True): N_("spurious loyalty"),
        (False, False): N_("no loyalty"),
    }
)

#: Griffin's four cells: (attachment high?, repeat purchase high?) -> class.
GRIFFIN_CLASSES = MappingProxyType(
    {
        (True, True): N_("premium loyalty"),
        (True, False): N_("latent loyalty"),
        (False, True): N_("inertia loyalty"),
        (False, False): N_("no loyalty"),
    }
)

#: What to do about each class (course advice, in our words).
ACTIONS = MappingProxyType(
    {
        N_("loyalty"): N_(
            "Reward and protect: recognise the customer, ask for referrals, never take them for granted."
        ),
        N_("premium loyalty"): N_(
            "Reward and protect: recognise the customer, ask for referrals, never take them for granted."
        ),
        N_("latent loyalty"): N_("Remove the barriers to buying (access, price points, opening hours, range)."),
        N_("spurious loyalty"): N_(
            "Build attitude before a rival tempts them: differentiate, personalise, add relationship ties."
        ),
        N_("inertia loyalty"): N_(
            "Turn habit into preference: show the difference, add soft benefits, talk to the customer."
        ),
        N_("no loyalty"): N_(
            "Decide whether the customer is worth winning; if so, give a reason to prefer and to return."
        ),
        N_("monopoly loyalty"): N_("Do not mistake captivity for loyalty: improve service before competition arrives."),
        N_("convenience loyalty"): N_(
            "Keep being easy to buy from, and add reasons to stay if a rival becomes as convenient."
        ),
        N_("price loyalty"): N_(
            "Loyal to the lowest price, not to you: do not buy them with discounts you cannot keep; "
            "add value that is not price (service, convenience) to earn some attachment."
        ),
        N_("incentive loyalty"): N_(
            "The programme buys repeat purchases, not attachment: add soft benefits and service."
        ),
    }
)


def _two_by_two(scores: dict, cutoffs: dict, table, name: str):
    (n_a, n_p), (n_ac, n_pc) = list(scores), list(cutoffs)
    index, arr, scalar = _numeric(**scores)
    a = np.asarray(v.in_range(n_a, arr[n_a], 0, 1), dtype=float)
    p = np.asarray(v.in_range(n_p, arr[n_p], 0, 1), dtype=float)
    ac = _single(n_ac, cutoffs[n_ac], 0, 1)
    pc = _single(n_pc, cutoffs[n_pc], 0, 1)
    hi_a, hi_p = a >= ac, p >= pc
    out = np.where(
        hi_a,
        np.where(hi_p, table[(True, True)], table[(True, False)]),
        np.where(hi_p, table[(False, True)], table[(False, False)]),
    )
    return _labels(out, index, scalar, name)


def dick_basu(relative_attitude, repeat_patronage, attitude_cutoff: float = 0.5, patronage_cutoff: float = 0.5):
    """Dick & Basu's loyalty class from relative attitude and repeat patronage.

    A customer whose relative attitude is at or above ``attitude_cutoff`` has a *high*
    attitude; one whose repeat patronage is at or above ``patronage_cutoff`` has *high*
    patronage (a value exactly at the cut-off counts as high). Then

    ==============  ======================  ====================
    attitude        patronage high          patronage low
    ==============  ======================  ====================
    high            ``"loyalty"``           ``"latent loyalty"``
    low             ``"spurious loyalty"``  ``"no loyalty"``
    ==============  ======================  ====================

    Parameters
    ----------
    relative_attitude : float or array-like or pandas.Series
        Preference for the brand relative to the alternatives, scaled to [0, 1]
        (0 = strongly prefers rivals, 1 = strongly prefers this brand).
    repeat_patronage : float or array-like or pandas.Series
        Repeat buying scaled to [0, 1], e.g. the share of the customer's category
        purchases that go to the brand. Two Series are paired by index (customer id).
    attitude_cutoff, patronage_cutoff : float in [0, 1], default 0.5
        Where "high" begins.

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series
        One of ``"loyalty"``, ``"latent loyalty"``, ``"spurious loyalty"``, ``"no loyalty"``
        per customer, shaped like the input (a Series keeps the first Series' index).

    Raises
    ------
    ValueError
        If a score or cut-off is outside [0, 1], arrays differ in length, or two Series do not
        carry the same customers.

    References
    ----------
    Dick, A. S. & Basu, K. (1994). Customer loyalty: toward an integrated conceptual
    framework. *Journal of the Academy of Marketing Science*, 22(2), 99-113.

    Examples
    --------
    >>> dick_basu(0.8, 0.9)
    'loyalty'
    >>> dick_basu([0.8, 0.2, 0.5], [0.1, 0.9, 0.49]).tolist()
    ['latent loyalty', 'spurious loyalty', 'latent loyalty']
    >>> att = pd.Series([0.9, 0.2], index=["ann", "bo"])
    >>> dick_basu(att, pd.Series([0.1, 0.8], index=["bo", "ann"])).to_dict()   # paired by name
    {'ann': 'loyalty', 'bo': 'no loyalty'}
    """
    return _two_by_two(
        {"relative_attitude": relative_attitude, "repeat_patronage": repeat_patronage},
        {"attitude_cutoff": attitude_cutoff, "patronage_cutoff": patronage_cutoff},
        DICK_BASU_CLASSES,
        "dick_basu",
    )


def griffin(attachment, repeat_purchase, attachment_cutoff: float = 0.5, repeat_cutoff: float = 0.5):
    """Griffin's loyalty class from attachment and repeat purchase (both scaled to [0, 1]).

    High attachment and high repeat purchase give ``"premium loyalty"``, high attachment
    with low repeat ``"latent loyalty"``, low attachment with high repeat
    ``"inertia loyalty"``, both low ``"no loyalty"``. A value equal to its cut-off is high.

    Parameters
    ----------
    attachment : float or array-like or pandas.Series
        Relative attachment (preference) to the product or service, in [0, 1].
    repeat_purchase : float or array-like or pandas.Series
        Repeat buying in [0, 1] (e.g. share of category purchases); paired with
        ``attachment`` by index when both are Series.
    attachment_cutoff, repeat_cutoff : float in [0, 1], default 0.5

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    Raises
    ------
    ValueError
        If a score or cut-off is outside [0, 1], or two Series carry different customers.

    References
    ----------
    Griffin, J. (2002). *Customer Loyalty: How to Earn It, How to Keep It* (new and rev.
    ed.). San Francisco: Jossey-Bass, ch. 2 (the four types of loyalty).

    Examples
    --------
    >>> griffin(0.3, 0.9)
    'inertia loyalty'
    >>> griffin(pd.Series([0.9, 0.9], index=["a", "b"]), 0.9).tolist()
    ['premium loyalty', 'premium loyalty']
    """
    return _two_by_two(
        {"attachment": attachment, "repeat_purchase": repeat_purchase},
        {"attachment_cutoff": attachment_cutoff, "repeat_cutoff": repeat_cutoff},
        GRIFFIN_CLASSES,
        "griffin",
    )


# --------------------------------------------------------------------------------------
# the course's seven types
# --------------------------------------------------------------------------------------

_LEVELS_LOW_HIGH = ("low", "high")


@dataclass(frozen=True)
class LoyaltyType:
    """One of the course's seven loyalty types: attachment, repeat purchase, driver and source.

    ``attachment`` and ``repeat`` are ``"low"`` or ``"high"``; the text fields must not be empty.
    ``source`` says where the attachment x repeat profile comes from and how firmly:
    ``"slide text (explicit)"`` for the one row the slides keep; otherwise ``"textbook; ..."``
    -- the Chinese CRM textbook table the slides draw on (not in the slide text) -- followed
    by whether the profile is explicit in Griffin (2002), as the textbooks give it, or the
    suite's reading (see the module docstring, "Where the seven types come from").

    Records are frozen and validated; change one with :func:`dataclasses.replace`.

    Examples
    --------
    >>> import dataclasses
    >>> t = SEVEN_TYPES[0]
    >>> t.name, t.attachment, t.repeat
    ('monopoly loyalty', 'low', 'high')
    >>> dataclasses.replace(t, repeat="often")
    Traceback (most recent call last):
        ...
    ValueError: repeat must be one of ['low', 'high']; got 'often'
    """

    name: str
    chinese: str
    attachment: str  # "low" / "high"
    repeat: str  # "low" / "high"
    driver: str
    example: str
    source: str

    def __post_init__(self) -> None:
        for f in ("name", "chinese", "driver", "example", "source"):
            val = getattr(self, f)
            if not isinstance(val, str):
                raise TypeError(f"{f} must be a text; got {val!r}")
            if not val.strip():
                raise ValueError(f"{f} must not be empty; got {val!r}")
        v.one_of("attachment", self.attachment, _LEVELS_LOW_HIGH)
        v.one_of("repeat", self.repeat, _LEVELS_LOW_HIGH)


#: The seven types in the course's order, with attachment (依恋), repeat purchase, driver and source.
SEVEN_TYPES: tuple[LoyaltyType, ...] = (
    LoyaltyType(
        N_("monopoly loyalty"),
        "垄断忠诚",
        N_("low"),
        N_("high"),
        N_("no alternative"),
        N_("a business traveller who must take the train"),
        N_("slide text (explicit)"),
    ),
    LoyaltyType(
        N_("inertia loyalty"),
        "惰性忠诚",
        N_("low"),
        N_("high"),
        N_("habit"),
        N_("a shopper who buys the same detergent by habit"),
        N_("textbook; profile explicit in Griffin 2002"),
    ),
    LoyaltyType(
        N_("latent loyalty"),
        "潜在忠诚",
        N_("high"),
        N_("low"),
        N_("barriers to buying"),
        N_("a fan of a restaurant too far away to visit often"),
        N_("textbook; profile explicit in Griffin 2002"),
    ),
    LoyaltyType(
        N_("convenience loyalty"),
        "方便忠诚",
        N_("low"),
        N_("high"),
        N_("convenience"),
        N_("a commuter who buys coffee on the way to work"),
        N_("textbook; profile is the suite's reading"),
    ),
    LoyaltyType(
        N_("price loyalty"),
        "价格忠诚",
        N_("low"),
        N_("low"),
        N_("lowest price"),
        N_("a buyer who goes wherever the price is lowest"),
        N_("textbook; low/low as the textbooks give it"),
    ),
    LoyaltyType(
        N_("incentive loyalty"),
        "激励忠诚",
        N_("low"),
        N_("high"),
        N_("rewards"),
        N_("a traveller who flies one airline for its points"),
        N_("textbook; profile is the suite's reading"),
    ),
    LoyaltyType(
        N_("premium loyalty"),
        "超值忠诚",
        N_("high"),
        N_("high"),
        N_("true preference"),
        N_("an exhibitor who rebooks yearly and recommends it"),
        N_("textbook; profile explicit in Griffin 2002"),
    ),
)

#: Survey items used by :func:`seven_type` (1-5 Likert, 5 = strongly agree).
SEVEN_TYPE_ITEMS = ("attachment", "repeat", "no_alternative", "habit", "convenience", "price", "rewards", "barriers")
#: Drivers that explain *high* repeat purchase without attachment, in the course's order.
_DRIVER_TYPES = (
    ("no_alternative", "monopoly loyalty"),
    ("habit", "inertia loyalty"),
    ("convenience", "convenience loyalty"),
    ("rewards", "incentive loyalty"),
)


def seven_type(
    attachment, repeat, no_alternative=1, habit=1, convenience=1, price=1, rewards=1, barriers=1, cutoff: float = 4
):
    """Assign one of the course's seven loyalty types (or ``"no loyalty"``) from survey items.

    All items are 1-5 Likert answers (1 = strongly disagree, 5 = strongly agree); an
    answer at or above ``cutoff`` counts as *high* / *agree*. The rule follows the
    attachment x repeat profiles of :data:`SEVEN_TYPES`:

    1. ``attachment`` high and ``repeat`` high -> ``"premium loyalty"`` (true preference);
    2. ``attachment`` high and ``repeat`` low -> ``"latent loyalty"`` (something blocks
       buying; the ``barriers`` item records what the customer says about it but does not
       change the class);
    3. ``attachment`` low and ``repeat`` high -> the type of the **strongest driver** among
       ``no_alternative`` (monopoly), ``habit`` (inertia), ``convenience`` and ``rewards``
       (incentive); ties go to the first in that order (the course's order); if no driver
       reaches ``cutoff`` the repeat buying is unexplained habit -> ``"inertia loyalty"``.
       ``price`` is not a driver here: price loyalty has *low* repeat purchase with any one
       firm;
    4. both low -> ``"price loyalty"`` if ``price`` reaches ``cutoff`` (the customer is loyal
       to the lowest price, not to the firm), otherwise ``"no loyalty"``.

    Parameters
    ----------
    attachment : float or array-like or pandas.Series
        "I feel attached to / prefer this supplier" (依恋), 1-5.
    repeat : float or array-like or pandas.Series
        "I buy from this supplier again and again", 1-5.
    no_alternative, habit, convenience, rewards : float or array-like or Series, default 1
        "I buy here because there is no real alternative / out of habit / because it is
        convenient / for the rewards", 1-5.
    price : float or array-like or Series, default 1
        "I buy wherever the price is lowest", 1-5.
    barriers : float or array-like or Series, default 1
        "Something stops me buying here as often as I would like", 1-5 (descriptive).
    cutoff : float in [1, 5], default 4
        Lowest answer that counts as high ("agree").

    Series are aligned by index (respondent); single values apply to every respondent.

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    Raises
    ------
    ValueError
        If any answer or the cut-off is outside 1-5, lengths differ, or Series carry different
        respondents.

    References
    ----------
    The seven types follow the course material (垄断/惰性/潜在/方便/价格/激励/超值忠诚) and
    the Chinese CRM textbooks it draws on (only the monopoly row is in the slide text; see the
    module docstring for each row's source); the attachment x repeat grid is Dick & Basu
    (1994) and Griffin (2002).

    Examples
    --------
    >>> seven_type(attachment=2, repeat=1, price=5)
    'price loyalty'
    >>> seven_type(attachment=2, repeat=5, rewards=5)
    'incentive loyalty'
    >>> seven_type([5, 5, 2, 2], [5, 2, 4, 1], habit=[1, 1, 3, 1]).tolist()
    ['premium loyalty', 'latent loyalty', 'inertia loyalty', 'no loyalty']
    """
    items = {
        "attachment": attachment,
        "repeat": repeat,
        "no_alternative": no_alternative,
        "habit": habit,
        "convenience": convenience,
        "price": price,
        "rewards": rewards,
        "barriers": barriers,
    }
    index, arr, scalar = _numeric(**items)
    vals = {k: np.asarray(_likert(k, arr[k]), dtype=float) for k in items}
    cutoff = _single("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    hi_a, hi_r = vals["attachment"] >= cutoff, vals["repeat"] >= cutoff
    drivers = np.stack([vals[k] for k, _ in _DRIVER_TYPES], axis=-1)
    strongest = np.argmax(drivers, axis=-1)  # first maximum wins ties
    driver_type = np.array([t for _, t in _DRIVER_TYPES], dtype=object)[strongest]
    driver_type = np.where(drivers.max(axis=-1) >= cutoff, driver_type, "inertia loyalty")
    low_low = np.where(vals["price"] >= cutoff, "price loyalty", "no loyalty")
    out = np.where(hi_a, np.where(hi_r, "premium loyalty", "latent loyalty"), np.where(hi_r, driver_type, low_low))
    return _labels(out, index, scalar, "seven_type")


# --------------------------------------------------------------------------------------
# Oliver's phases, Gremler & Brown's dimensions, McKinsey, programme views, levels, signs
# --------------------------------------------------------------------------------------

#: Oliver's four phases in order, with Chinese names in the slides' style: the slides call the
#: four phases 四类忠诚感 and name the first 认知性忠诚感; the other three names follow that pattern
#: (our wording). They are kept apart from 行为忠诚 / 情感忠诚, the slides' Gremler & Brown split.
OLIVER_PHASES = MappingProxyType(
    {
        N_("cognitive"): "认知性忠诚感",
        N_("affective"): "情感性忠诚感",
        N_("conative"): "意向性忠诚感",
        N_("action"): "行为性忠诚感",
    }
)


def oliver_phase(cognitive, affective, conative, action, cutoff: float = 4):
    """Deepest of Oliver's loyalty phases a customer has reached, from 1-5 survey scores.

    Oliver's phases build on each other: belief that the brand is better (cognitive),
    liking (affective), intention to rebuy (conative), then action inertia -- buying
    despite obstacles. The rule: a phase counts as reached when its score is at or above
    ``cutoff`` **and** every earlier phase is reached; the result is the last phase
    reached, or ``"none"``.

    Parameters
    ----------
    cognitive, affective, conative, action : float or array-like or pandas.Series, 1-5
        Agreement with "X is better than the alternatives" / "I like X" / "I intend to
        keep buying X" / "I buy X even when it is out of my way or a rival has an offer".
        Series are aligned by index.
    cutoff : float in [1, 5], default 4

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series
        ``"none"``, ``"cognitive"``, ``"affective"``, ``"conative"`` or ``"action"``.

    Raises
    ------
    ValueError
        If a score is outside 1-5, or Series carry different customers.

    References
    ----------
    Oliver, R. L. (1999). Whence consumer loyalty? *Journal of Marketing*, 63(special
    issue), 33-44.

    Examples
    --------
    >>> oliver_phase(5, 4, 3, 5)
    'affective'
    >>> oliver_phase([2, 5], [5, 5], [5, 5], [5, 4]).tolist()
    ['none', 'action']
    """
    items = {"cognitive": cognitive, "affective": affective, "conative": conative, "action": action}
    index, arr, scalar = _numeric(**items)
    arrs = [np.asarray(_likert(k, arr[k]), dtype=float) for k in items]
    cutoff = _single("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    reached = np.cumprod(np.stack([a >= cutoff for a in arrs], axis=-1), axis=-1).sum(axis=-1)
    names = np.array(["none", *OLIVER_PHASES], dtype=object)
    return _labels(names[reached], index, scalar, "oliver_phase")


def loyalty_dimensions(behavioural, intentional, emotional, cutoff: float = 4):
    """Which of the three loyalty dimensions (Gremler & Brown 1996, as the slides split them) are high.

    Returns a label such as ``"behavioural + emotional"``, ``"all three"`` or ``"none"``;
    a score equal to ``cutoff`` is high (scores on 1-5).

    The slides (which print the authors as "Cremer & Brown") split loyalty into 行为忠诚
    (behavioural: repeat buying), 意识忠诚 (intentional: the intention to buy again) and
    情感忠诚 (emotional: feelings for the firm, e.g. recommending it). Gremler & Brown's own
    definition of *service* loyalty has three elements: repeat purchasing from the provider
    (behavioural), a positive attitude towards it (attitudinal) and considering only this
    provider when the need arises again (cognitive). Our reading of the correspondence:
    behavioural = 行为忠诚, the cognitive element = 意识忠诚, the attitudinal element = 情感忠诚.

    Parameters
    ----------
    behavioural : float or array-like or pandas.Series, 1-5
        Repeat buying (行为忠诚).
    intentional : float or array-like or pandas.Series, 1-5
        Intention to keep buying and to recommend (意识忠诚).
    emotional : float or array-like or pandas.Series, 1-5
        Liking and attachment (情感忠诚).
    cutoff : float, default 4

    Series are aligned by index; Series with different customers are refused.

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    References
    ----------
    Gremler, D. D. & Brown, S. W. (1996). Service loyalty: its nature, importance, and
    implications. In B. Edvardsson et al. (eds.), *Advancing Service Quality: A Global
    Perspective* (QUIS 5), pp. 171-180. International Service Quality Association.

    Examples
    --------
    >>> loyalty_dimensions(5, 2, 4)
    'behavioural + emotional'
    >>> loyalty_dimensions([5, 1], [5, 1], [5, 1]).tolist()
    ['all three', 'none']
    """
    items = {"behavioural": behavioural, "intentional": intentional, "emotional": emotional}
    index, arr, scalar = _numeric(**items)
    cutoff = _single("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    high = [np.asarray(_likert(k, arr[k]), dtype=float) >= cutoff for k in items]
    labels = []
    for hi in zip(*high):
        names = [k for k, h in zip(items, hi) if h]
        labels.append("all three" if len(names) == 3 else " + ".join(names) if names else "none")
    return _labels(labels, index, scalar, "loyalty_dimensions")


#: McKinsey's six segments: (stays?, motive) -> segment, with the slides' Chinese names.
MCKINSEY_SEGMENTS = MappingProxyType(
    {
        N_("emotive loyalist"): "感情型忠诚客户",
        N_("inertial loyalist"): "惯性型忠诚客户",
        N_("deliberative loyalist"): "理智型忠诚客户",
        N_("lifestyle-changer"): "生活方式改变型客户",
        N_("deliberator"): "理智型客户",
        N_("dissatisfied switcher"): "不满意型客户",
    }
)


def mckinsey_segment(stays, emotional=1, habit=1, deliberation=1, life_change=1, dissatisfaction=1):
    """McKinsey's loyalty segment: three kinds of loyalists and three kinds of switchers.

    Rule: for a customer who **stays**, the strongest motive among ``emotional`` (emotive
    loyalist), ``habit`` (inertial loyalist) and ``deliberation`` (deliberative loyalist:
    stays after comparing); for a customer who **switches** (or is about to), the
    strongest among ``life_change`` (lifestyle-changer), ``deliberation`` (deliberator)
    and ``dissatisfaction`` (dissatisfied switcher). Ties go to the first in those lists.

    Parameters
    ----------
    stays : bool or array-like of bool or pandas.Series
        True if the customer stays with the firm.
    emotional, habit, deliberation, life_change, dissatisfaction : float or array-like or Series, 1-5
        Agreement with "I stay because I like them" / "out of habit" / "I compare and
        they win" / "my needs or circumstances changed" / "I was let down".

    Series are aligned by index; Series with different customers are refused.

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    References
    ----------
    Coyles, S. & Gokey, T. C. (2002). Customer retention is not enough. *The McKinsey
    Quarterly*, 2002(2), 80-89.

    Examples
    --------
    >>> mckinsey_segment(True, emotional=5, habit=3)
    'emotive loyalist'
    >>> mckinsey_segment([False, False], life_change=[5, 1], dissatisfaction=[2, 4]).tolist()
    ['lifestyle-changer', 'dissatisfied switcher']
    """
    items = {
        "emotional": emotional,
        "habit": habit,
        "deliberation": deliberation,
        "life_change": life_change,
        "dissatisfaction": dissatisfaction,
    }
    index, arr, scalar = _align(stays=stays, **items)
    st = _booleans("stays", arr["stays"], stays)
    em, hb, de, lc, ds = (np.asarray(_likert(k, arr[k]), dtype=float) for k in items)
    stay_lab = np.array(["emotive loyalist", "inertial loyalist", "deliberative loyalist"], dtype=object)
    go_lab = np.array(["lifestyle-changer", "deliberator", "dissatisfied switcher"], dtype=object)
    stay_idx = np.argmax(np.stack([em, hb, de], -1), -1)
    go_idx = np.argmax(np.stack([lc, de, ds], -1), -1)
    out = np.where(st, stay_lab[stay_idx], go_lab[go_idx])
    return _labels(out, index, scalar, "mckinsey_segment")


#: How customers rate loyalty programmes (course: 垄断型, 节约型, 激励型, 习惯型, 忠实型).
PROGRAMME_VIEWS = MappingProxyType(
    {
        N_("monopoly"): ("垄断型", N_("No alternative supplier; the programme changes nothing.")),
        N_("saving"): ("节约型", N_("Cares about the money saved; joins every programme and follows the best deal.")),
        N_("incentive"): ("激励型", N_("Buys for the reward; stays while the rewards beat the rivals'.")),
        N_("habitual"): ("习惯型", N_("Buys out of habit; the programme is a pleasant extra.")),
        N_("devoted"): ("忠实型", N_("Prefers the firm anyway; values recognition more than points.")),
    }
)


def programme_view(no_alternative, saving, reward, habit, preference):
    """How a customer rates a loyalty programme: the strongest of five 1-5 motives.

    Returns ``"monopoly"``, ``"saving"``, ``"incentive"``, ``"habitual"`` or ``"devoted"``
    (ties go to the first in that order). Scores outside 1-5 raise ValueError; Series are
    aligned by index.

    References
    ----------
    Course material (垄断型, 节约型, 激励型, 习惯型, 忠实型 customers of a loyalty
    programme); see also Dowling, G. R. & Uncles, M. (1997). Do customer loyalty
    programs really work? *Sloan Management Review*, 38(4), 71-82.

    Examples
    --------
    >>> programme_view(1, 2, 5, 3, 4)
    'incentive'
    """
    items = {
        "no_alternative": no_alternative,
        "saving": saving,
        "reward": reward,
        "habit": habit,
        "preference": preference,
    }
    index, arr, scalar = _numeric(**items)
    idx = np.argmax(np.stack([np.asarray(_likert(k, arr[k]), dtype=float) for k in items], -1), -1)
    return _labels(np.array(list(PROGRAMME_VIEWS), dtype=object)[idx], index, scalar, "programme_view")


#: The four levels of loyalty (course), lowest first.
FOUR_LEVELS = (N_("no loyalty"), N_("satisfied or habitual"), N_("brand preference"), N_("high loyalty"))


def loyalty_level(index, cutoffs=(25.0, 50.0, 75.0)):
    """One of the course's four loyalty levels from a 0-100 loyalty index.

    ``index < cutoffs[0]`` -> ``"no loyalty"``; ``< cutoffs[1]`` -> ``"satisfied or
    habitual"``; ``< cutoffs[2]`` -> ``"brand preference"``; otherwise ``"high loyalty"``
    (an index equal to a cut-off goes to the higher level). The default cut-offs split the
    scale into quarters; they are a convention, not a finding. A Series keeps its index.

    Examples
    --------
    >>> loyalty_level([10, 25, 74.9, 75]).tolist()
    ['no loyalty', 'satisfied or habitual', 'brand preference', 'high loyalty']
    """
    labels, arr, scalar = _numeric(index=index)
    x = np.asarray(v.in_range("index", arr["index"], 0, 100), dtype=float)
    c = np.asarray(v.in_range("cutoffs", cutoffs, 0, 100), dtype=float)
    if c.shape != (3,) or np.any(np.diff(c) <= 0):
        raise ValueError(f"cutoffs must be three increasing numbers in [0, 100]; got {cutoffs!r}")
    pos = np.searchsorted(c, x, side="right")
    return _labels(np.array(FOUR_LEVELS, dtype=object)[pos], labels, scalar, "loyalty_level")


#: Signs of a loyal customer (course).
LOYAL_SIGNS = _DisplayTuple(
    (
        N_("regular repeat purchase"),
        N_("buys several of the firm's products"),
        N_("recommends the firm"),
        N_("immune to rivals' offers"),
        N_("forgives occasional mistakes"),
    )
)


def loyal_signs(repeat, cross_buy, recommends, immune, forgives):
    """Count how many of the five signs of a loyal customer are present (0-5).

    Each argument is a bool, an array of bools or a boolean Series for one sign in
    :data:`LOYAL_SIGNS`; Series are aligned by index. Returns an int, an int array or an int
    Series.

    Examples
    --------
    >>> loyal_signs(True, False, True, True, False)
    3
    >>> loyal_signs([True, False], True, False, False, True).tolist()
    [3, 2]
    """
    items = {"repeat": repeat, "cross_buy": cross_buy, "recommends": recommends, "immune": immune, "forgives": forgives}
    index, arr, scalar = _align(**items)
    total = np.sum([_booleans(k, arr[k], items[k]) for k in items], axis=0).astype(np.int64)
    if index is not None:
        return pd.Series(total, index=index, name="loyal_signs")
    return int(total[0]) if scalar else total


# --------------------------------------------------------------------------------------
# indices
# --------------------------------------------------------------------------------------

#: The course's five measurement criteria, each scored 1-5 with 5 = most loyal.
CRITERIA = MappingProxyType(
    {
        N_("repeat_purchases"): N_("number of repeat purchases (5 = many)"),
        N_("choice_time"): N_("time spent choosing (5 = very little: buys without shopping around)"),
        N_("price_sensitivity"): N_("price sensitivity (5 = insensitive: accepts price rises)"),
        N_("competitor_attitude"): N_("attitude to competitors' products (5 = indifferent or negative)"),
        N_("quality_tolerance"): N_("tolerance of quality problems (5 = forgives an occasional incident)"),
    }
)

#: Stated default weights (sum 1): repeat buying weighs most, as behaviour is what pays.
DEFAULT_WEIGHTS = MappingProxyType(
    {
        "repeat_purchases": 0.30,
        "choice_time": 0.15,
        "price_sensitivity": 0.20,
        "competitor_attitude": 0.20,
        "quality_tolerance": 0.15,
    }
)

#: The chapter's example customer: a regular buyer who still compares prices.
_EXAMPLE_SCORES = MappingProxyType(
    {
        "repeat_purchases": 4,
        "choice_time": 3,
        "price_sensitivity": 2,
        "competitor_attitude": 3,
        "quality_tolerance": 4,
    }
)


def _weights(weights, keys, name="weights"):
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise TypeError(f"{name} must be a dict keyed by {list(keys)}; got {weights!r}")
    missing = [k for k in keys if k not in weights]
    extra = [k for k in weights if k not in keys]
    if missing or extra:
        raise ValueError(f"{name} must have exactly the keys {list(keys)}; missing {missing}, unknown {extra}")
    w = {k: _single(f"{name}[{k!r}]", weights[k], 0, 1) for k in keys}
    total = sum(w.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(f"{name} must sum to 1; got {dict(weights)!r}, which sums to {total:.6g}")
    return w


def _criteria_scores(scores) -> dict:
    keys = list(CRITERIA)
    if not hasattr(scores, "keys"):
        raise TypeError(f"scores must be a dict or DataFrame keyed by {keys}; got {type(scores).__name__}")
    missing = [k for k in keys if k not in scores.keys()]
    if missing:
        raise ValueError(f"scores is missing criteria {missing}; it needs all of {keys}")
    return {f"scores[{k!r}]": scores[k] for k in keys}


@dataclass(frozen=True)
class LoyaltyCriteria:
    """One customer's scores on the five criteria (1-5, 5 = most loyal) and their weights (sum 1).

    Both fields are mappings keyed by :data:`CRITERIA`; they are validated in ``__post_init__``
    and stored read-only. The defaults are the chapter's example customer (the widget's
    starting point) and :data:`DEFAULT_WEIGHTS`. Change a record with
    :func:`dataclasses.replace`, which validates again.

    Examples
    --------
    >>> import dataclasses
    >>> crit = LoyaltyCriteria()
    >>> crit.index()
    56.25
    >>> round(dataclasses.replace(crit, scores=dict(crit.scores, price_sensitivity=4)).index(), 2)
    66.25
    >>> LoyaltyCriteria(scores=dict(crit.scores, choice_time=7))
    Traceback (most recent call last):
        ...
    ValueError: scores['choice_time'] must be in [1, 5] (a 1-5 Likert score); got 7.0
    """

    scores: Mapping[str, float] = field(default_factory=lambda: dict(_EXAMPLE_SCORES))
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def __post_init__(self) -> None:
        keys = list(CRITERIA)
        named = _criteria_scores(self.scores)
        extra = [k for k in self.scores if k not in keys]
        if extra:
            raise ValueError(f"scores has unknown criteria {extra}; the criteria are {keys}")
        scores = {}
        for k, name in zip(keys, named):
            if np.ndim(named[name]) != 0:
                raise TypeError(f"{name} must be a single score (1-5) for one customer; got {named[name]!r}")
            scores[k] = float(_likert(name, named[name]))
        object.__setattr__(self, "scores", MappingProxyType(scores))
        object.__setattr__(self, "weights", MappingProxyType(_weights(self.weights, keys)))

    @classmethod
    def default(cls) -> LoyaltyCriteria:
        """The chapter's example: a regular buyer who still compares prices."""
        return cls()

    def index(self) -> float:
        """The weighted index (0-100) of :func:`criteria_index`."""
        return float(criteria_index(self.scores, self.weights))


def criteria_index(scores, weights=None):
    r"""Loyalty index (0-100) from the five measurement criteria with stated weights.

    .. math:: I = 100 \sum_{i=1}^{5} w_i \frac{s_i - 1}{4}, \qquad \sum_i w_i = 1,

    where :math:`s_i \in [1, 5]` is the score on criterion *i* (5 = most loyal, see
    :data:`CRITERIA`) and :math:`w_i \ge 0` its weight. A customer scoring 5 everywhere
    gets 100, one scoring 1 everywhere gets 0.

    Parameters
    ----------
    scores : dict or pandas.DataFrame
        Keys / columns ``repeat_purchases``, ``choice_time``, ``price_sensitivity``,
        ``competitor_attitude``, ``quality_tolerance``; single values, equal-length arrays or
        Series (aligned by index, customer by customer).
    weights : dict, optional
        Same keys, non-negative, summing to 1; default :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The index for each customer (a Series on the DataFrame's or the Series' index).

    Raises
    ------
    ValueError
        If a criterion is missing, a score is outside 1-5, the weights do not sum to 1, or
        Series carry different customers.

    References
    ----------
    The five criteria are the course's (repeat purchases, choice time, price sensitivity,
    attitude to competitors, tolerance of quality problems); a weighted-sum index is the
    usual composite-indicator construction (OECD/JRC 2008, *Handbook on Constructing
    Composite Indicators*, section 6).

    Examples
    --------
    >>> s = {"repeat_purchases": 5, "choice_time": 3, "price_sensitivity": 1,
    ...      "competitor_attitude": 3, "quality_tolerance": 5}
    >>> round(criteria_index(s), 2)
    62.5
    """
    named = _criteria_scores(scores)
    keys = list(CRITERIA)
    w = _weights(weights, keys)
    if isinstance(scores, pd.DataFrame):
        named = {name: scores[k] for k, name in zip(keys, named)}
    index, arr, scalar = _numeric(**named)
    # summed term by term as criteria_contributions' column is, so both give the same number to the last digit
    total = sum(100 * w[k] * (np.asarray(_likert(name, arr[name])) - 1) / 4 for k, name in zip(keys, named))
    return _numbers(total, index, scalar, "criteria_index")


def criteria_contributions(scores, weights=None) -> pd.DataFrame:
    """One customer's loyalty index, criterion by criterion: what each score adds to :func:`criteria_index`.

    Parameters
    ----------
    scores : dict
        One score (1-5) per criterion of :data:`CRITERIA`.
    weights : dict, optional
        Weights summing to 1; default :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``criterion`` (in the order of :data:`CRITERIA`) with ``score`` (1-5),
        ``weight``, ``contribution`` = 100 w (s - 1) / 4 and ``maximum`` = 100 w (index
        points). ``contribution`` sums to the index; ``maximum`` sums to 100.

    Raises
    ------
    ValueError
        For more than one customer (use :func:`criteria_index`), or the errors of
        :func:`criteria_index`.

    Examples
    --------
    >>> table = criteria_contributions(LoyaltyCriteria().scores)
    >>> table["contribution"].round(2).tolist()
    [22.5, 7.5, 5.0, 10.0, 11.25]
    >>> float(table["contribution"].sum())
    56.25
    """
    named = _criteria_scores(scores)
    keys = list(CRITERIA)
    w = _weights(weights, keys)
    for name, value in named.items():
        if np.ndim(value) != 0:
            raise ValueError(
                f"criteria_contributions explains one customer: {name} must be a single score; got {value!r} "
                "(use criteria_index for many customers)"
            )
    s = np.array([_likert(name, named[name]) for name in named], dtype=float)
    wt = np.array([w[k] for k in keys])
    return pd.DataFrame(
        {"score": s, "weight": wt, "contribution": 100 * wt * (s - 1) / 4, "maximum": 100 * wt},
        index=pd.Index(keys, name="criterion"),
    )


#: Satisfaction levels of the quantified index and their scores.
SATISFACTION_LEVELS = MappingProxyType(
    {
        N_("very satisfied"): 1.0,
        N_("satisfied"): 0.75,
        N_("neutral"): 0.5,
        N_("dissatisfied"): 0.25,
        N_("very dissatisfied"): 0.0,
    }
)
#: Likelihood to recommend and its score.
RECOMMEND_LEVELS = MappingProxyType({N_("very likely"): 1.0, N_("possible"): 0.5, N_("impossible"): 0.0})
_REPURCHASE_BANDS = MappingProxyType({N_("above 70%"): 1.0, N_("30-70%"): 0.5, N_("below 30%"): 0.0})


def _bands(name: str, p) -> np.ndarray:
    p = np.asarray(v.probability(name, p), dtype=float)
    return np.where(p > 0.7, "above 70%", np.where(p >= 0.3, "30-70%", "below 30%")).astype(object)


def repurchase_band(probability):
    """Band of a repurchase probability: ``"above 70%"``, ``"30-70%"`` or ``"below 30%"``.

    "Above 70%" is strict: exactly 0.70 and exactly 0.30 both fall in ``"30-70%"``. A Series
    keeps its index.

    Examples
    --------
    >>> repurchase_band([0.71, 0.7, 0.3, 0.29]).tolist()
    ['above 70%', '30-70%', '30-70%', 'below 30%']
    """
    index, arr, scalar = _numeric(probability=probability)
    return _labels(_bands("probability", arr["probability"]), index, scalar, "repurchase_band")


def _levels(name, arr, table) -> np.ndarray:
    bad = [x for x in np.asarray(arr, dtype=object).ravel() if not isinstance(x, str) or x not in table]
    if bad:
        raise ValueError(f"{name} must be one of {list(table)}; got {bad[0]!r}")
    return np.array([table[x] for x in np.asarray(arr, dtype=object).ravel()], dtype=float)


def quantified_index(satisfaction, repurchase_probability, recommend, weights=(1 / 3, 1 / 3, 1 / 3)):
    r"""The course's quantified loyalty index (客户忠诚量化指数), 0-100.

    Three answers are scored on [0, 1]:

    * overall satisfaction on five levels: very satisfied 1, satisfied 0.75, neutral 0.5,
      dissatisfied 0.25, very dissatisfied 0 (labels or the integers 5..1);
    * repurchase probability in bands: above 70% -> 1, 30-70% -> 0.5, below 30% -> 0
      (see :func:`repurchase_band` for the boundaries);
    * likelihood to recommend: very likely 1, possible 0.5, impossible 0.

    .. math:: Q = 100\,(w_S\,s_S + w_R\,s_R + w_P\,s_P),\qquad w_S + w_R + w_P = 1.

    Parameters
    ----------
    satisfaction : str or int or array-like or pandas.Series
        A key of :data:`SATISFACTION_LEVELS` or an integer 1 (very dissatisfied) .. 5.
    repurchase_probability : float or array-like or pandas.Series, in [0, 1]
    recommend : str or array-like or pandas.Series
        A key of :data:`RECOMMEND_LEVELS`.
    weights : tuple of three floats summing to 1, default equal

    Series are aligned by index (respondent); single values apply to every respondent.

    Returns
    -------
    float or numpy.ndarray or pandas.Series

    Raises
    ------
    ValueError
        For an unknown level, a probability outside [0, 1], weights not summing to 1, or
        Series with different respondents.

    References
    ----------
    Course material (客户忠诚量化指数: 满意度五级, 重复购买概率 >70% / 30-70% / <30%,
    推荐可能性). The level scores are equally spaced, a stated convention.

    Examples
    --------
    >>> round(quantified_index("satisfied", 0.8, "possible"), 2)
    75.0
    >>> quantified_index([5, 1], [0.9, 0.1], ["very likely", "impossible"]).round(1).tolist()
    [100.0, 0.0]
    """
    w = np.asarray(v.in_range("weights", weights, 0, 1), dtype=float)
    if w.shape != (3,):
        raise ValueError(f"weights must be three numbers (satisfaction, repurchase, recommend); got {weights!r}")
    if abs(w.sum() - 1) > 1e-9:
        raise ValueError(f"weights must sum to 1; got {weights!r}, which sums to {w.sum():.6g}")
    index, arr, scalar = _align(
        satisfaction=satisfaction, repurchase_probability=repurchase_probability, recommend=recommend
    )
    sat = np.asarray(arr["satisfaction"], dtype=object)
    if all(isinstance(x, (int, np.integer, float, np.floating)) and not isinstance(x, (bool, np.bool_)) for x in sat):
        num = np.asarray(v.in_range("satisfaction", sat.astype(float), 1, 5), dtype=float)
        if np.any(num != np.round(num)):
            raise ValueError(
                f"satisfaction must be one of {list(SATISFACTION_LEVELS)} or a whole number 1-5 (5 = very "
                f"satisfied); got {satisfaction!r}"
            )
        s_sat = (num - 1) / 4
    else:
        s_sat = _levels("satisfaction", sat, SATISFACTION_LEVELS)
    s_rep = _levels(
        "repurchase band", _bands("repurchase_probability", arr["repurchase_probability"]), _REPURCHASE_BANDS
    )
    s_rec = _levels("recommend", arr["recommend"], RECOMMEND_LEVELS)
    q = 100 * (w[0] * s_sat + w[1] * s_rep + w[2] * s_rec)
    return _numbers(q, index, scalar, "quantified_index")


# --------------------------------------------------------------------------------------
# behavioural measures from a transaction log
# --------------------------------------------------------------------------------------

_TX_COLUMNS = ("customer_id", "date", "amount")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T][0-9:.]+)?")


def _check_tz(tz):
    """``tz`` as a time zone pandas understands (or None)."""
    if tz is None:
        return None
    if isinstance(tz, (bool, int, float, bytes)):
        raise TypeError(f"tz must be a time-zone name such as 'Asia/Shanghai' (or None); got {tz!r}")
    try:
        return pd.Timestamp("2000-01-01", tz="UTC").tz_convert(tz).tz
    except Exception:  # noqa: BLE001 - pandas/zoneinfo raise several kinds for an unknown zone
        raise ValueError(f"tz must be a time-zone name such as 'Asia/Shanghai' (or None); got {tz!r}") from None


def _purchase_days(transactions, tz=None):
    """``(frame, zone)``: one row per transaction with ``customer_id``, local ``day`` and ``amount``.

    Checks the log (columns, dates, customer ids and the one amounts rule) and counts a
    time-zone-aware timestamp on its local day in ``tz`` (default: the data's own zone).
    """
    v.columns("transactions", transactions, _TX_COLUMNS)
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty")
    dates = transactions["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise TypeError(
            f"transactions['date'] must be datetime64; got {dates.dtype} (convert with pd.to_datetime, giving "
            "format= for dates that are not ISO, e.g. format='%d/%m/%Y')"
        )
    for col in ("date", "customer_id"):
        bad = transactions[col].isna().to_numpy()
        if bad.any():
            raise ValueError(
                f"transactions[{col!r}] has {int(bad.sum())} missing value(s) (first at row "
                f"{transactions.index[np.flatnonzero(bad)[0]]!r}); drop or fix them first"
            )
    amounts = v.amounts("transactions", transactions, "amount")
    tz = _check_tz(tz)
    zone = dates.dt.tz
    if zone is None:
        if tz is not None:
            raise ValueError(
                f"tz={tz!s} converts time-zone-aware dates, but transactions['date'] has no time zone (its dates "
                "are taken as local already); leave tz=None"
            )
    else:
        if tz is not None:
            dates, zone = dates.dt.tz_convert(tz), tz
        dates = dates.dt.tz_localize(None)
    frame = pd.DataFrame(
        {
            "customer_id": transactions["customer_id"].to_numpy(),
            "day": dates.dt.normalize().to_numpy(),
            "amount": amounts,
        }
    )
    return frame, zone


def _as_day(name: str, value, zone) -> pd.Timestamp:
    """A period boundary as a local day: an ISO date string, a Timestamp, a datetime or a date."""
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value.strip()):
            raise ValueError(
                f"{name} must be an ISO date such as '1997-09-30' (or a Timestamp); got {value!r} (a date like "
                "'09/10/1997' is ambiguous)"
            )
        try:
            ts = pd.Timestamp(value.strip())
        except ValueError:
            raise ValueError(f"{name} is not a valid date; got {value!r}") from None
    elif isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(value)
    else:
        raise TypeError(f"{name} must be a date (an ISO string such as '1997-09-30' or a Timestamp); got {value!r}")
    if pd.isna(ts):
        raise ValueError(f"{name} must be a date; got {value!r}")
    if ts.tz is not None:
        if zone is None:
            raise ValueError(f"{name} has a time zone ({ts.tz}) but transactions['date'] has none; give a plain date")
        ts = ts.tz_convert(zone).tz_localize(None)
    return ts.normalize()


def _visits(transactions, tz=None):
    """``(visits, zone)``: one row per customer and purchase day (several orders on one day = one purchase)."""
    frame, zone = _purchase_days(transactions, tz)
    visits = frame.groupby(["customer_id", "day"], sort=True, as_index=False)["amount"].sum()
    return visits, zone


def purchase_history(transactions, end=None, *, tz=None):
    """Per-customer purchase summary from a transaction log (purchases counted by day).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date`` (datetime64, naive or time-zone-aware) and ``amount``
        (currency, e.g. US$), e.g. :func:`crmlib.datasets.load_cdnow`. Several transactions of
        a customer on one (local) day count as one purchase occasion. A missing or negative
        amount is refused (drop or net returns first: a missing amount is not 0).
    end : str or Timestamp, optional
        Last day of the period, **included** (e.g. ``"1997-09-30"`` for CDNOW's 39-week
        calibration period); strings must be ISO dates. Default: the whole log.
    tz : str, optional
        Time zone whose local day counts for time-zone-aware dates (default: the data's own
        zone). Not allowed with naive dates, which are taken as local already.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` with ``purchases`` (occasions), ``repeat_purchases``
        (purchases - 1), ``first``, ``last`` (local days, naive Timestamps), ``mean_gap_days``
        (mean days between purchases; NaN with one purchase) and ``spend`` (currency).

    Raises
    ------
    ValueError
        Missing columns, missing dates or customer ids, missing or negative amounts, an
        ambiguous ``end`` string, or an ``end`` before every purchase.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [10.0, 5.0, 20.0, 7.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-01-01", "1997-01-11", "1997-02-01"])})
    >>> h = purchase_history(tx)
    >>> h["purchases"].tolist(), h["mean_gap_days"].tolist(), h["spend"].tolist()
    ([2, 1], [10.0, nan], [35.0, 7.0])
    >>> purchase_history(tx, end="1997-01-11")["purchases"].tolist()   # the end day is included
    [2]
    """
    visits, zone = _visits(transactions, tz)
    if end is not None:
        end_day = _as_day("end", end, zone)
        start = visits["day"].min()
        visits = visits[visits["day"] <= end_day]
        if visits.empty:
            raise ValueError(f"end={end_day.date()} leaves no purchases; the log starts {start.date()}")
    g = visits.groupby("customer_id")
    out = pd.DataFrame(
        {
            "purchases": g.size().astype("int64"),
            "first": g["day"].min(),
            "last": g["day"].max(),
            "spend": g["amount"].sum(),
        }
    )
    out.insert(1, "repeat_purchases", out["purchases"] - 1)
    span = (out["last"] - out["first"]).dt.days.astype(float)
    gaps = np.where(out["purchases"] > 1, span / (out["purchases"] - 1).clip(lower=1), np.nan)
    out.insert(4, "mean_gap_days", gaps)
    return out


def repeat_rate(transactions, end=None, *, tz=None) -> float:
    """Share of customers with at least two purchase occasions (up to and including ``end`` if given).

    Jacoby & Chestnut's simplest behavioural loyalty measure: did the customer come back?
    The log rules (purchase days, inclusive ``end``, amounts, ``tz``) are those of
    :func:`purchase_history`.

    References
    ----------
    Jacoby, J. & Chestnut, R. W. (1978). *Brand Loyalty: Measurement and Management*.
    New York: Wiley.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [1.0, 1.0, 1.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-03-01", "1997-01-05"])})
    >>> repeat_rate(tx)
    0.5
    >>> repeat_rate(tx, end="1997-02-28")
    0.0
    """
    hist = purchase_history(transactions, end=end, tz=tz)
    return float((hist["purchases"] >= 2).mean())


def inter_purchase_times(transactions, *, tz=None) -> pd.Series:
    """All gaps between a customer's consecutive purchase days, in days (int64 Series).

    The log rules (purchase days, amounts, ``tz``) are those of :func:`purchase_history`.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [1.0, 1.0, 1.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-01-08", "1997-02-07"])})
    >>> inter_purchase_times(tx).tolist()
    [7, 30]
    """
    visits, _ = _visits(transactions, tz)
    gaps = visits.groupby("customer_id")["day"].diff().dropna().dt.days.astype("int64")
    return gaps.rename("gap_days").reset_index(drop=True)


def period_share(transactions, start, end, by: str = "purchases", *, tz=None) -> pd.Series:
    """Each customer's share of their own purchases (or spend) that fall in the period ``[start, end]``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount`` (rules of :func:`purchase_history`).
    start, end : str or Timestamp
        First and last day of the period, **both included**; strings must be ISO dates.
    by : {"purchases", "spend"}
        Count purchase occasions or sum the amounts.
    tz : str, optional
        Time zone for time-zone-aware dates (default: the data's own zone).

    Returns
    -------
    pandas.Series
        Indexed by ``customer_id``, values in [0, 1].

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 1], "amount": [10.0, 10.0, 10.0, 30.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-02-01", "1997-11-01", "1998-01-01"])})
    >>> period_share(tx, "1997-10-01", "1998-06-30").tolist()
    [0.5]
    >>> period_share(tx, "1997-10-01", "1998-06-30", by="spend").tolist()
    [0.6666666666666666]
    >>> period_share(tx, "1997-10-01", "1998-01-01").tolist()   # the end day is included
    [0.5]
    """
    v.one_of("by", by, ["purchases", "spend"])
    visits, zone = _visits(transactions, tz)
    start, end = _as_day("start", start, zone), _as_day("end", end, zone)
    if start > end:
        raise ValueError(f"start must not be after end; got start={start.date()}, end={end.date()}")
    inside = (visits["day"] >= start) & (visits["day"] <= end)
    weight = visits["amount"] if by == "spend" else pd.Series(1.0, index=visits.index)
    total = weight.groupby(visits["customer_id"]).sum()
    part = weight.where(inside, 0.0).groupby(visits["customer_id"]).sum()
    share = (part / total.where(total > 0)).fillna(0.0)
    return share.rename(f"share_of_{by}")


def share_of_wallet(spend_with_firm, category_spend):
    """Share of a customer's category spending that goes to the firm (钱包份额), in [0, 1].

    Parameters
    ----------
    spend_with_firm : float or array-like or pandas.Series
        What the customer spent with the firm (currency, at most 1e15).
    category_spend : float or array-like or pandas.Series
        What the customer spent in the whole category, all suppliers (same currency,
        same period); must be positive and at least ``spend_with_firm``. Two Series are
        paired by index (customer id); Series with different customers are refused.

    Returns
    -------
    float, numpy.ndarray or pandas.Series

    Raises
    ------
    ValueError
        If a spend is negative or above 1e15, the category total is not positive, or the
        firm's share exceeds the category total.

    References
    ----------
    Jacoby & Chestnut (1978), proportion-of-purchase measures; Keiningham, T. L. et al.
    (2005). Does customer satisfaction lead to profitability? *Managing Service Quality*,
    15(2), 172-181.

    Examples
    --------
    >>> share_of_wallet(300.0, 1200.0)
    0.25
    """
    index, arr, scalar = _numeric(spend_with_firm=spend_with_firm, category_spend=category_spend)
    s = np.asarray(v.money("spend_with_firm", arr["spend_with_firm"], minimum=0), dtype=float)
    c = np.asarray(v.money("category_spend", arr["category_spend"]), dtype=float)
    v.positive("category_spend", c)
    if np.any(s > c):
        bad = int(np.flatnonzero(s > c)[0])
        where = f"customer {index[bad]!r}" if index is not None else f"position {bad}"
        raise ValueError(f"spend_with_firm must not exceed category_spend; got {s[bad]!r} > {c[bad]!r} at {where}")
    return _numbers(s / c, index, scalar, "share_of_wallet")


# --------------------------------------------------------------------------------------
# relationship quality -> loyalty
# --------------------------------------------------------------------------------------

#: Scales of the simulated relationship-quality survey and their item columns.
SURVEY_SCALES = MappingProxyType(
    {
        "trust": ("trust_cred1", "trust_cred2", "trust_benev1", "trust_benev2"),
        "satisfaction": ("sat1", "sat2", "sat3"),
        "commitment": ("commit_aff1", "commit_aff2", "commit_cont1"),
        "friendship": ("friend1", "friend2", "friend3"),
        "loyalty": ("loy_repurchase", "loy_recommend", "loy_first_choice"),
    }
)

#: True effects (per SD of each construct) of the four components on latent loyalty.
SURVEY_EFFECTS = MappingProxyType({"trust": 0.30, "satisfaction": 0.35, "commitment": 0.25, "friendship": 0.10})

#: Largest survey :func:`simulate_relationship_survey` draws (17 columns of int64: about 140 MB).
MAX_RESPONDENTS = 1_000_000


def simulate_relationship_survey(
    n_respondents: int, *, rng, effects=None, factor_correlation: float = 0.4, loading: float = 0.8, points: int = 7
) -> pd.DataFrame:
    r"""Simulate a relationship-quality survey with a known structure.

    Structure (stated so that students can check what the analysis recovers):

    * four standard-normal constructs -- trust, satisfaction, commitment, friendship --
      with equal pairwise correlation ``factor_correlation``;
    * latent loyalty :math:`\eta = \sum_k \beta_k \xi_k + \zeta`, with :math:`\beta_k` =
      ``effects`` (default :data:`SURVEY_EFFECTS`) and :math:`\zeta` normal, scaled so
      that :math:`\operatorname{Var}(\eta) = 1`;
    * every item :math:`x = \lambda \xi + \sqrt{1-\lambda^2}\,\varepsilon` (λ = ``loading``),
      cut into ``points`` categories: ``round(c + s x)`` clipped to 1..``points``, with
      centre c = (points + 1)/2 and spread s = points/4.5 (4 and 1.56 for 7 points);
    * ``loyalty_stage``: an ordinal 1-5 answer, latent loyalty cut at -1.2, -0.4, 0.4, 1.2.

    Items per scale are listed in :data:`SURVEY_SCALES` (trust has two credibility and two
    benevolence items; commitment two affective and one continuance item).

    Parameters
    ----------
    n_respondents : int
        Number of respondents, 20 to 1,000,000.
    rng : numpy.random.Generator
        Source of the random numbers (keyword-only, required).
    effects : dict, optional
        Standardised effects of the four constructs on latent loyalty (they must explain
        less than all of its variance).
    factor_correlation : float in [0, 0.9]
    loading : float in (0, 1)
    points : int, 5 to 11
        Answer scale 1..points; centre and spread scale with it.

    Returns
    -------
    pandas.DataFrame
        One row per respondent: the item columns (int64) and ``loyalty_stage`` (int64).

    References
    ----------
    The construct list follows Hennig-Thurau, T., Gwinner, K. P. & Gremler, D. D. (2002).
    Understanding relationship marketing outcomes. *Journal of Service Research*, 4(3),
    230-247, and Crosby, L. A., Evans, K. R. & Cowles, D. (1990). Relationship quality in
    services selling. *Journal of Marketing*, 54(3), 68-81. The numbers are invented.

    Examples
    --------
    >>> df = simulate_relationship_survey(200, rng=np.random.default_rng(1))
    >>> df.shape
    (200, 17)
    """
    n = v.integer("n_respondents", n_respondents, minimum=20, maximum=MAX_RESPONDENTS)
    v.rng("rng", rng)
    comps = ["trust", "satisfaction", "commitment", "friendship"]
    eff = dict(SURVEY_EFFECTS) if effects is None else effects
    if not isinstance(eff, Mapping) or sorted(eff) != sorted(comps):
        raise ValueError(f"effects must be a dict with keys {comps}; got {effects!r}")
    beta = np.array([v.in_range(f"effects[{k!r}]", eff[k], -1, 1) for k in comps])
    rho = v.in_range("factor_correlation", factor_correlation, 0, 0.9)
    lam = v.in_range("loading", loading, 0, 1, low_open=True, high_open=True)
    points = v.integer("points", points, minimum=5, maximum=11)
    corr = np.full((4, 4), rho) + (1 - rho) * np.eye(4)
    explained = float(beta @ corr @ beta)
    if explained >= 1:
        raise ValueError(f"effects explain {explained:.3f} >= 1 of the variance of latent loyalty; make them smaller")
    xi = rng.multivariate_normal(np.zeros(4), corr, size=n, method="cholesky")
    eta = xi @ beta + np.sqrt(1 - explained) * rng.standard_normal(n)
    factors = dict(zip(comps, xi.T)) | {"loyalty": eta}
    centre, spread = (points + 1) / 2, points / 4.5
    data = {}
    for scale, items in SURVEY_SCALES.items():
        for item in items:
            x = lam * factors[scale] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            data[item] = np.clip(np.round(centre + spread * x), 1, points).astype("int64")
    data["loyalty_stage"] = (np.searchsorted([-1.2, -0.4, 0.4, 1.2], eta) + 1).astype("int64")
    return pd.DataFrame(data)


def _scales(scales) -> dict:
    if scales is None:
        return {k: tuple(c) for k, c in SURVEY_SCALES.items()}
    if not isinstance(scales, Mapping) or not scales:
        raise TypeError(f"scales must be a non-empty dict: scale name -> item columns; got {scales!r}")
    out = {}
    for name, cols in scales.items():
        cols = (cols,) if isinstance(cols, str) else tuple(cols)
        if not cols:
            raise ValueError(f"scales[{name!r}] must list at least one item column")
        out[str(name)] = cols
    return out


def _items(survey, name: str, cols) -> pd.DataFrame:
    """The item columns of one scale: numbers, no missing answers."""
    v.columns("survey", survey, list(cols))
    block = survey[list(cols)]
    try:
        arr = block.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"survey items of scale {name!r} ({list(cols)}) must be numbers") from None
    if np.isnan(arr).any():
        r, c = np.argwhere(np.isnan(arr))[0]
        raise ValueError(
            f"survey has missing answers in scale {name!r} (first at row {survey.index[r]!r}, item {cols[c]!r}); "
            "drop or impute them first"
        )
    v.in_range(f"survey items of scale {name!r}", arr, -1e6, 1e6)
    return block


def scale_scores(survey: pd.DataFrame, scales=None) -> pd.DataFrame:
    """Mean of each scale's items per respondent (columns named after the scales, same index).

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per respondent with the item columns (numbers; missing answers are refused:
        drop or impute them first).
    scales : dict, optional
        Scale name -> item columns; default :data:`SURVEY_SCALES`.

    Examples
    --------
    >>> df = pd.DataFrame({"a1": [1, 3], "a2": [3, 5]})
    >>> scale_scores(df, {"a": ("a1", "a2")})["a"].tolist()
    [2.0, 4.0]
    """
    scales = _scales(scales)
    v.columns("survey", survey, [])
    out = pd.DataFrame(
        {name: _items(survey, name, cols).astype(float).mean(axis=1) for name, cols in scales.items()},
        index=survey.index,
    )
    out.attrs["i18n_context"] = "relationship quality"  # satisfaction = 满足感
    return out


_BFGS_MESSAGES = {
    0: "Optimization terminated successfully",
    1: "Maximum number of iterations has been exceeded",
    2: "Desired error not necessarily achieved due to precision loss",
    3: "NaN result encountered",
}


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class RelationshipQualityResult(FitResult):
    """Fitted relationship-quality -> loyalty model (frozen; the suite's :class:`~crmlib.results.FitResult`).

    Estimates, standard errors, p-values and the log-likelihood are statsmodels'; intervals
    are the ones statsmodels' ``conf_int`` gives (t with ``df_resid`` degrees of freedom for
    OLS, normal for the ordered logit).

    Attributes
    ----------
    model : str
        ``"ols"`` or ``"ordered_logit"``.
    outcome : str
        The outcome: the loyalty scale score (OLS) or the ordinal loyalty stage.
    params : pandas.Series
        Raw coefficients (per scale point); OLS has ``const``; the ordered logit has the
        thresholds in statsmodels' parameterisation: the first cut-off (``"1/2"``), then the
        log of each increase to the next (``"2/3"``, ...).
    standardised : pandas.Series
        Effect of a one-SD change in each predictor: in SDs of the outcome (OLS, beta
        weights) or in log-odds of a higher loyalty stage (ordered logit).
    alphas : pandas.Series
        Cronbach's alpha of each scale used (NaN for a one-item scale).
    fit_stat : float
        R^2 (OLS) or McFadden's pseudo-R^2 (ordered logit).
    df_resid : float or None
        Residual degrees of freedom of OLS (t-based intervals); None for the ordered logit.

    plus ``n_obs`` (respondents), ``converged``, ``message``, ``iterations``,
    ``log_likelihood``, ``standard_errors``, ``conf_int(level)`` and ``summary()``.
    """

    model_name: ClassVar[str] = N_("relationship quality -> loyalty")

    model: str
    outcome: str
    predictors: tuple[str, ...]
    standardised_values: tuple[float, ...]
    alpha_names: tuple[str, ...]
    alpha_values: tuple[float, ...]
    pvalue_values: tuple[float, ...]
    fit_stat: float
    df_resid: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("predictors", "alpha_names"):
            object.__setattr__(self, name, tuple(str(x) for x in getattr(self, name)))
        for name in ("standardised_values", "alpha_values", "pvalue_values"):
            object.__setattr__(self, name, tuple(float(x) for x in getattr(self, name)))

    @property
    def standardised(self) -> pd.Series:
        """Standardised effects of the predictors (a fresh Series on every access)."""
        out = pd.Series(self.standardised_values, index=pd.Index(self.predictors), name="standardised", dtype=float)
        out.attrs["i18n_context"] = "relationship quality"
        return out

    @property
    def alphas(self) -> pd.Series:
        """Cronbach's alpha of each scale (a fresh Series on every access)."""
        out = pd.Series(self.alpha_values, index=pd.Index(self.alpha_names), name="alpha", dtype=float)
        out.attrs["i18n_context"] = "relationship quality"
        return out

    @property
    def p_values(self) -> pd.Series:
        """statsmodels' two-sided p-values (t for OLS, z for the ordered logit), same index as ``params``."""
        return pd.Series(self.pvalue_values, index=pd.Index(self.param_names, name="parameter"), name="p_value")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Intervals estimate ± q·SE, q from t(df_resid) for OLS and the normal for the ordered logit.

        These are the intervals statsmodels' ``conf_int(alpha=1 - level)`` returns for the fit.
        """
        level = check_level(level)
        tail = 0.5 + level / 2
        q = _sps.t.ppf(tail, self.df_resid) if self.df_resid is not None else _sps.norm.ppf(tail)
        est, se = self.params, self.standard_errors
        return pd.DataFrame({"lower": est - q * se, "upper": est + q * se})

    def summary(self) -> pd.DataFrame:
        """Every parameter: estimate, SE, t (OLS) or z, p-value, 95% interval, standardised effect, alpha."""
        est, se = self.params, self.standard_errors
        ci = self.conf_int(0.95)
        stat = "t" if self.df_resid is not None else "z"
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = est / se
        out = pd.DataFrame(
            {
                "estimate": est,
                "std_error": se,
                stat: ratio,
                "p_value": self.p_values,
                "lower_95": ci["lower"],
                "upper_95": ci["upper"],
                "standardised": self.standardised.reindex(est.index),
                "alpha": self.alphas.reindex(est.index),
            }
        )
        out.attrs["i18n_context"] = "relationship quality"  # satisfaction = 满足感, alpha = Cronbach's
        return out

    def _fit_line(self) -> str:
        stat = "R^2" if self.model == "ols" else _("pseudo R^2")
        status = _("converged") if self.converged else _("NOT converged ({message})").format(message=self.message)
        return _("n_obs={n_obs}, {stat}={fit_stat:.3f}, log-likelihood {log_likelihood:.2f}, {status}").format(
            n_obs=self.n_obs, stat=stat, fit_stat=self.fit_stat, log_likelihood=self.log_likelihood, status=status
        )

    def __repr__(self) -> str:
        effects = ", ".join(f"{k}={val:.3f}" for k, val in zip(self.predictors, self.standardised_values))
        return _(
            "RelationshipQualityResult(model={model!r}, outcome={outcome!r}, {fit_line}; standardised: {effects})"
        ).format(model=self.model, outcome=self.outcome, fit_line=self._fit_line(), effects=effects)

    def _repr_html_(self) -> str:
        kind = "OLS" if self.model == "ols" else _("ordered logit")
        table = translate_frame(self.summary().round(4)).to_html()
        return (
            _("<p><b>{name}</b> ({kind} of {outcome}): {fit_line}</p>").format(
                name=_(self.model_name), kind=kind, outcome=self.outcome, fit_line=self._fit_line()
            )
            + table
        )


def _alpha(name: str, items: pd.DataFrame) -> float:
    if items.shape[1] < 2:
        return float("nan")  # alpha needs two items or more
    try:
        return cronbach_alpha(items)
    except ValueError as err:
        raise ValueError(f"scale {name!r}: {err}") from None


def fit_relationship_quality(
    survey: pd.DataFrame, model: str = "ols", scales=None, outcome: str | None = None, *, maxiter: int = 2000
) -> RelationshipQualityResult:
    """Regress loyalty on the four relationship-quality scales (OLS or ordered logit, by statsmodels).

    Scale scores are item means (:func:`scale_scores`). ``model="ols"`` regresses the
    loyalty *scale score* on the four components (``statsmodels`` OLS, a closed form:
    ``converged`` is True, ``message`` "closed form (OLS)"); ``model="ordered_logit"`` models
    the ordinal ``loyalty_stage`` (1-5) with statsmodels' ``OrderedModel`` (logit link,
    maximum likelihood by BFGS from statsmodels' deterministic start values: slopes 0,
    thresholds from the observed stage shares), and reports the optimiser's convergence
    flag, message and iterations. Standardised effects: OLS slopes times SD(x)/SD(y) (beta
    weights); ordered-logit slopes times SD(x) (change in log-odds of a higher stage per
    SD of the component).

    Parameters
    ----------
    survey : pandas.DataFrame
        Items of :data:`SURVEY_SCALES` (and ``loyalty_stage`` for the ordered logit), one
        row per respondent, no missing answers.
    model : {"ols", "ordered_logit"}
    scales : dict, optional
        Scale -> item columns; must include ``"loyalty"`` for OLS. Default
        :data:`SURVEY_SCALES`.
    outcome : str, optional
        Outcome column; default ``"loyalty"`` (OLS) or ``"loyalty_stage"`` (ordered logit).
    maxiter : int, default 2000
        Most BFGS iterations for the ordered logit (1 to 100,000).

    Returns
    -------
    RelationshipQualityResult

    Raises
    ------
    ValueError
        Data the model cannot identify: fewer respondents than parameters + 1, a scale or
        outcome that does not vary, scales that are linear combinations of each other, an
        ordinal outcome with fewer than 3 levels, missing answers.

    Warns
    -----
    crmlib.results.ConvergenceWarning
        When the ordered logit's optimiser stops before converging (try a larger
        ``maxiter``; check for a stage with very few respondents).
    RuntimeWarning
        When a standard error is not finite (an estimate on the boundary, e.g. a stage
        predicted perfectly).

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B*, 42(2), 109-142.
    Hennig-Thurau, Gwinner & Gremler (2002), *Journal of Service Research* 4(3).

    Examples
    --------
    >>> df = simulate_relationship_survey(300, rng=np.random.default_rng(3))
    >>> res = fit_relationship_quality(df)
    >>> res.model, res.n_obs, res.converged, res.message
    ('ols', 300, True, 'closed form (OLS)')
    """
    import statsmodels.api as sm

    v.one_of("model", model, ["ols", "ordered_logit"])
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=100_000)
    scales = _scales(scales)
    scores = scale_scores(survey, scales)
    predictors = [k for k in scales if k != "loyalty"]
    if not predictors:
        raise ValueError(f"scales must include at least one predictor besides 'loyalty'; got {list(scales)}")
    X = scores[predictors]
    sd_x = X.std(ddof=1)
    for k in predictors:
        if not sd_x[k] > 1e-12 * max(1.0, float(X[k].abs().max())):
            raise ValueError(f"scale {k!r} does not vary in this survey: its effect on loyalty cannot be estimated")
    alphas = {k: _alpha(k, survey[list(c)]) for k, c in scales.items()}
    design = np.column_stack([np.ones(len(X)), X.to_numpy()])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError(
            f"the scales {predictors} are linearly dependent in this survey (one is a combination of the "
            "others): their separate effects cannot be estimated"
        )
    if model == "ols":
        outcome = "loyalty" if outcome is None else outcome
        if outcome in scores:
            y = scores[outcome]
        else:
            v.columns("survey", survey, [outcome])
            y = pd.Series(v.as_float(f"survey[{outcome!r}]", survey[outcome].to_numpy()), index=survey.index)
        n_params = len(predictors) + 1
    else:
        from statsmodels.miscmodels.ordinal_model import OrderedModel

        outcome = "loyalty_stage" if outcome is None else outcome
        v.columns("survey", survey, [outcome])
        y = survey[outcome]
        v.as_float(f"survey[{outcome!r}]", y.to_numpy())
        levels = np.sort(y.unique())
        if len(levels) < 3:
            raise ValueError(f"survey[{outcome!r}] needs at least 3 ordered levels; got {levels.tolist()}")
        n_params = len(predictors) + len(levels) - 1
    if len(X) <= n_params:
        raise ValueError(
            f"survey has {len(X)} respondents; the {model} model has {n_params} parameters and needs at least "
            f"{n_params + 1} respondents"
        )
    sd_y = float(np.std(np.asarray(y, dtype=float), ddof=1))
    if not sd_y > 0:
        raise ValueError(f"the outcome {outcome!r} does not vary in this survey: there is nothing to explain")
    fit_kw = {}
    if model == "ols":
        fit = sm.OLS(np.asarray(y, dtype=float), design).fit()
        names = ["const", *predictors]
        std = fit.params[1:] * sd_x.to_numpy() / sd_y
        fit_kw = dict(
            converged=True,
            message="closed form (OLS)",
            iterations=None,
            fit_stat=float(fit.rsquared),
            df_resid=float(fit.df_resid),
        )
    else:
        from statsmodels.tools.sm_exceptions import ConvergenceWarning as _SMConvergenceWarning
        from statsmodels.tools.sm_exceptions import HessianInversionWarning

        yc = pd.Series(pd.Categorical(y, categories=levels, ordered=True), index=y.index)
        steps = [0]

        def count(_params) -> None:
            steps[0] += 1

        with warnings.catch_warnings():
            # reported below as crmlib's ConvergenceWarning / a RuntimeWarning, with advice
            warnings.simplefilter("ignore", _SMConvergenceWarning)
            warnings.simplefilter("ignore", HessianInversionWarning)
            fit = OrderedModel(yc, X, distr="logit").fit(method="bfgs", disp=False, maxiter=maxiter, callback=count)
        names = [*predictors, *[f"{a}/{b}" for a, b in zip(levels[:-1], levels[1:])]]
        std = np.asarray(fit.params)[: len(predictors)] * sd_x.to_numpy()
        retvals = fit.mle_retvals
        flag = retvals.get("warnflag")
        fit_kw = dict(
            converged=bool(retvals.get("converged", False)),
            message=_BFGS_MESSAGES.get(flag, f"BFGS stopped with warnflag {flag}"),
            iterations=int(steps[0]),
            fit_stat=float(fit.prsquared),
            df_resid=None,
        )
    result = RelationshipQualityResult(
        param_names=tuple(names),
        param_values=tuple(np.asarray(fit.params, dtype=float)),
        se_values=tuple(np.asarray(fit.bse, dtype=float)),
        pvalue_values=tuple(np.asarray(fit.pvalues, dtype=float)),
        n_obs=int(len(X)),
        log_likelihood=float(fit.llf),
        model=model,
        outcome=outcome,
        predictors=tuple(predictors),
        standardised_values=tuple(np.asarray(std, dtype=float)),
        alpha_names=tuple(alphas),
        alpha_values=tuple(alphas.values()),
        **fit_kw,
    )
    warn_if_not_converged(
        result,
        advice=f"Try a larger maxiter (now {maxiter}); check for a loyalty stage with very few respondents.",
    )
    if not np.all(np.isfinite(result.standard_errors)):
        warnings.warn(
            f"{model}: some standard errors are not finite ({', '.join(result.standard_errors.index[~np.isfinite(result.standard_errors)])}); "
            "an estimate may sit on a boundary (e.g. a stage predicted perfectly): merge sparse stages or collect "
            "more responses",
            RuntimeWarning,
            stacklevel=2,
        )
    return result


# --------------------------------------------------------------------------------------
# economics of loyalty
# --------------------------------------------------------------------------------------

#: Ratios quoted in the course material by industry. The slide does not say of what.
INDUSTRY_RATIOS = MappingProxyType(
    {N_("retail"): 16.0, N_("restaurants"): 13.0, N_("airlines"): 12.0, N_("hotels"): 5.0}
)

#: Longest horizon of :func:`loyal_customer_profit` (years).
MAX_YEARS = 1000


def loyal_value_ratio(transactions, min_purchases: int = 2, end=None, *, tz=None) -> float:
    """Mean spend of repeat customers divided by mean spend of one-purchase customers.

    One reading of the course's industry ratios ("a loyal customer is worth N times a
    one-off customer"), computed on a real purchase log. Repeat customers are those with
    at least ``min_purchases`` purchase occasions up to and including ``end`` (if given); the
    log rules are those of :func:`purchase_history`.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 10.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-02-01", "1997-01-05"])})
    >>> loyal_value_ratio(tx)
    4.0
    """
    k = v.integer("min_purchases", min_purchases, minimum=2)
    hist = purchase_history(transactions, end=end, tz=tz)
    loyal, once = hist.loc[hist["purchases"] >= k, "spend"], hist.loc[hist["purchases"] == 1, "spend"]
    if loyal.empty or once.empty or once.mean() == 0:
        raise ValueError(
            f"transactions need customers with 1 purchase (with a positive mean spend) and customers with "
            f"min_purchases={k} or more purchases; got {len(once)} and {len(loyal)}"
        )
    return float(loyal.mean() / once.mean())


def loyal_customer_profit(
    years: int = 7,
    base_profit: float = 20.0,
    acquisition_cost: float = 50.0,
    spend_growth: float = 6.0,
    cost_saving: float = 3.0,
    referrals: float = 4.0,
    price_premium: float = 2.0,
) -> pd.DataFrame:
    """Profit from one customer by year of the relationship, split into its sources.

    Reichheld & Sasser's decomposition: a base profit each year, growing spend (more
    purchases, more products), lower operating costs (the customer knows the firm, needs
    less service), referrals and a price premium, all growing linearly with the year;
    minus the acquisition cost in year 0. All amounts are per customer per year in
    currency units (0 to 1e12) and are **assumptions to vary**, not data; ``years`` is 1 to
    1,000.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` 0..years with columns ``acquisition``, ``base``, ``spend_growth``,
        ``cost_saving``, ``referrals``, ``price_premium``, ``total`` and ``cumulative``.

    References
    ----------
    Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services.
    *Harvard Business Review*, 68(5), 105-111.

    Examples
    --------
    >>> loyal_customer_profit(years=2)["total"].tolist()
    [-50.0, 20.0, 35.0]
    """
    years = v.integer("years", years, minimum=1, maximum=MAX_YEARS)
    amounts = dict(
        base_profit=base_profit,
        acquisition_cost=acquisition_cost,
        spend_growth=spend_growth,
        cost_saving=cost_saving,
        referrals=referrals,
        price_premium=price_premium,
    )
    # 1e12 a year at most: the cumulative sum over 1,000 years of growing amounts stays below 1e15
    vals = {}
    for k, x in amounts.items():
        if np.ndim(x) != 0:
            raise TypeError(f"{k} must be a single amount (currency per year); got {x!r}")
        vals[k] = v.in_range(k, v.money(k, x), 0, 1e12, unit="currency per year")
    t = np.arange(years + 1, dtype=float)
    active = (t >= 1).astype(float)
    grow = np.maximum(t - 1, 0)
    df = pd.DataFrame(
        {
            "acquisition": np.where(t == 0, -vals["acquisition_cost"], 0.0),
            "base": vals["base_profit"] * active,
            "spend_growth": vals["spend_growth"] * grow,
            "cost_saving": vals["cost_saving"] * grow,
            "referrals": vals["referrals"] * grow,
            "price_premium": vals["price_premium"] * grow,
        },
        index=pd.RangeIndex(years + 1, name="year"),
    )
    df["total"] = df.sum(axis=1)
    df["cumulative"] = df["total"].cumsum()
    return df


def customer_delivered_value(product, service, personnel, image, money, time, energy, psychic):
    """Kotler's customer delivered value (客户让渡价值): total value minus total cost.

    Total customer value = product + service + personnel + image value; total customer
    cost = monetary + time + energy + psychic cost (all in the same currency units, each 0 to
    1e15). Returns ``(delivered value, value/cost ratio)``; with Series (aligned by index,
    customer by customer) each is a Series with that index.

    References
    ----------
    Kotler, P. (2000). *Marketing Management* (millennium ed.). Prentice Hall, ch. 2.

    Examples
    --------
    >>> customer_delivered_value(60, 20, 10, 10, 50, 10, 5, 5)
    (30.0, 1.4285714285714286)
    """
    values = dict(product=product, service=service, personnel=personnel, image=image)
    costs = dict(money=money, time=time, energy=energy, psychic=psychic)
    index, arr, scalar = _numeric(**values, **costs)
    amt = {k: np.asarray(v.money(k, arr[k], minimum=0), dtype=float) for k in arr}
    tv = sum(amt[k] for k in values)
    tc = sum(amt[k] for k in costs)
    if np.any(tc == 0):
        raise ValueError("money, time, energy and psychic costs must not all be 0 (the ratio needs a cost)")
    return _numbers(tv - tc, index, scalar, "delivered_value"), _numbers(tv / tc, index, scalar, "value_cost_ratio")


def benefit_type(involvement, cutoff: float = 4):
    """Hard (discounts, points) or soft (recognition, service) benefits by involvement, 1-5.

    Low-involvement customers (below ``cutoff``) value ``"hard"`` benefits; high-
    involvement ones (at or above) value ``"soft"`` benefits (the course's example: the
    VIP floor at Beijing airport). A Series keeps its index.

    Examples
    --------
    >>> benefit_type([2, 4]).tolist()
    ['hard', 'soft']
    """
    index, arr, scalar = _numeric(involvement=involvement)
    x = np.asarray(_likert("involvement", arr["involvement"]), dtype=float)
    cutoff = _single("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    return _labels(np.where(x >= cutoff, N_("soft"), N_("hard")), index, scalar, "benefit_type")


#: Largest points multiplier (per currency unit, or per bonus category) :func:`reward_points` accepts.
MAX_POINTS_RATE = 1e6


def reward_points(spend, category, base_rate: float = 1.0, bonus=None):
    """Points earned on purchases: ``base_rate`` per currency unit, times a category bonus.

    The course's American Express example: points at partner merchants, double points at
    petrol stations and supermarkets (``bonus={"petrol": 2, "supermarket": 2}``, the
    default). ``spend`` (currency, 0 to 1e15) and ``category`` (text labels) are paired by
    index when both are Series; a Series gives a Series with its index.

    Examples
    --------
    >>> reward_points([100, 50, 20], ["petrol", "other", "supermarket"]).tolist()
    [200.0, 50.0, 40.0]
    """
    index, arr, scalar = _align(spend=spend, category=category)
    s = np.asarray(v.money("spend", np.asarray(arr["spend"], dtype=object), minimum=0), dtype=float)
    cats = np.asarray(arr["category"], dtype=object)
    if not all(isinstance(c, str) for c in cats):
        bad = next(c for c in cats if not isinstance(c, str))
        raise TypeError(f"category must hold text labels such as 'petrol'; got {bad!r}")
    rate = _single("base_rate", base_rate, 0, MAX_POINTS_RATE)
    bonus = {"petrol": 2.0, "supermarket": 2.0} if bonus is None else bonus
    if not isinstance(bonus, Mapping):
        raise TypeError(f"bonus must be a dict: category -> multiplier; got {bonus!r}")
    mult = {str(k): _single(f"bonus[{k!r}]", x, 0, MAX_POINTS_RATE) for k, x in bonus.items()}
    out = s * rate * np.array([mult.get(c, 1.0) for c in cats])
    return _numbers(out, index, scalar, "reward_points")


#: Ten principles for raising loyalty (course, in our words).
TEN_PRINCIPLES = (
    N_("control product quality and price"),
    N_("know the product thoroughly"),
    N_("know the customer"),
    N_("give better service"),
    N_("raise satisfaction"),
    N_("exceed expectations"),
    N_("personalise"),
    N_("handle problems and complaints well"),
    N_("make buying simple"),
    N_("serve the internal customers (staff)"),
)


# --------------------------------------------------------------------------------------
# why loyal customers are worth more: a customer-base projection
# --------------------------------------------------------------------------------------

#: Longest horizon of :func:`project_customer_base` (periods; the cohort table is periods x periods).
MAX_PROJECTION_PERIODS = 500
#: Largest number of customers won per period that :func:`project_customer_base` accepts.
MAX_ACQUISITION = 1e9

#: Columns of the monetary (货币价值) and non-monetary (非货币价值) parts of a projection.
MONETARY_PARTS = ("margin", "service_cost", "acquisition_spend")
NON_MONETARY_PARTS = ("referrals", "feedback", "search", "contracting", "monitoring")


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class CustomerBaseResult:
    """What :func:`project_customer_base` returns: the customer base period by period, and its value.

    Attributes
    ----------
    inputs : Mapping
        The arguments of the projection (read-only).
    steady_state_customers : float
        The base the projection tends to, ``acquisition / (1 - retention_rate - referral_rate)``
        customers (the customer-number growth effect, 客户数量增长效应, in one number).
    expected_lifetime : float
        Expected periods a customer stays, 1/(1 - r) (:func:`crmlib.value.expected_lifetime`).
    customer_value : float
        Monetary lifetime value of one customer won by the firm over ``periods`` periods, counted
        from the period she is won: :func:`crmlib.value.clv_from_retention` (timing ``"start"``) of
        the margin minus that of the service cost, minus the acquisition cost.
    by_period : pandas.DataFrame
        Index ``period`` 1..T (a fresh copy each time): customers (``new_customers`` =
        ``acquired`` + ``referred``, ``returning``, ``customers``, ``mean_tenure``), the monetary
        parts (``margin``, ``service_cost`` and ``acquisition_spend`` as negative amounts,
        ``monetary``), the non-monetary parts (``referrals``, ``feedback``, ``search``,
        ``contracting``, ``monitoring``, ``non_monetary``), ``total``, ``discount_factor`` and
        the present values ``pv_monetary``, ``pv_non_monetary``, ``pv_total``.
    by_tenure : pandas.DataFrame
        One customer's value in her k-th period with the firm, k = 1..T (the retention-time
        effect, 客户保持时间效应, per customer), by the same parts.
    """

    inputs: Mapping
    steady_state_customers: float
    expected_lifetime: float
    customer_value: float
    _by_period: pd.DataFrame
    _by_tenure: pd.DataFrame

    @property
    def by_period(self) -> pd.DataFrame:
        return self._by_period.copy()

    @property
    def by_tenure(self) -> pd.DataFrame:
        return self._by_tenure.copy()

    @property
    def pv_monetary(self) -> float:
        """Present value of the monetary parts over the horizon (currency)."""
        return float(self._by_period["pv_monetary"].sum())

    @property
    def pv_non_monetary(self) -> float:
        """Present value of the non-monetary parts over the horizon (currency equivalents)."""
        return float(self._by_period["pv_non_monetary"].sum())

    def summary(self) -> pd.DataFrame:
        """Totals over the horizon by part: undiscounted, present value and share of the total PV."""
        t = self._by_period
        rows = []
        for kind, parts in (("monetary", MONETARY_PARTS), ("non-monetary", NON_MONETARY_PARTS)):
            for p in parts:
                pv = float((t[p] * t["discount_factor"]).sum())
                rows.append({"kind": kind, "part": p, "total": float(t[p].sum()), "present_value": pv})
        out = pd.DataFrame(rows).set_index(["kind", "part"])
        total = float(t["pv_total"].sum())
        out["share_of_pv"] = out["present_value"] / total if total != 0 else np.nan
        return out

    def __repr__(self) -> str:
        i = self.inputs
        return _(
            "CustomerBaseResult(retention_rate={retention_rate:g}, referral_rate={referral_rate:g}, "
            "periods={periods}, customers in the last period={last:.1f}, "
            "steady state={steady:.1f}, PV monetary={pv_monetary:.1f}, "
            "PV non-monetary={pv_non_monetary:.1f})"
        ).format(
            retention_rate=i["retention_rate"],
            referral_rate=i["referral_rate"],
            periods=i["periods"],
            last=self._by_period["customers"].iloc[-1],
            steady=self.steady_state_customers,
            pv_monetary=self.pv_monetary,
            pv_non_monetary=self.pv_non_monetary,
        )


def project_customer_base(
    acquisition=100.0,
    retention_rate=0.8,
    discount_rate=0.10,
    periods: int = 10,
    *,
    margin=100.0,
    margin_growth=0.0,
    service_cost=0.0,
    cost_decline=0.0,
    referral_rate=0.0,
    acquisition_cost=0.0,
    feedback_value=0.0,
    search_cost=0.0,
    contracting_cost=0.0,
    monitoring_cost=0.0,
) -> CustomerBaseResult:
    r"""Project a customer base period by period and split its value into monetary and non-monetary parts.

    Why loyal customers are worth more, as the course puts it: a firm that keeps its customers
    longer has **more** of them (the customer-number growth effect, 客户数量增长效应) and each
    one is worth **more per period** the longer she stays (the retention-time effect,
    客户保持时间效应: rising spend, falling cost to serve, no new search and contracting). Part
    of that value is money the customer pays (货币价值); part is not paid by her but saved or
    gained by the firm (非货币价值): the customers she refers, her feedback and the lower
    transaction costs of dealing with someone the firm knows — the costs of searching for a
    partner, of contracting and of monitoring the contract (the slides' 搜寻, 订立合同, 监督).

    The model (expected values, no randomness; timing ``"start"`` of
    :func:`crmlib.value.clv_from_retention`): at the start of period *t* the firm wins
    ``acquisition`` = A customers by its own effort and the customers of the period before refer
    :math:`\rho C_{t-1}` more; a customer in her k-th period pays the margin
    :math:`m(1+g)^{k-1}` and costs :math:`c(1-\delta)^{k-1}` to serve, and stays for the next
    period with probability r. So the base is

    .. math:: C_t = (r + \rho)\, C_{t-1} + A = A\,\frac{1 - (r+\rho)^t}{1 - (r+\rho)}
              \;\to\; \frac{A}{1 - r - \rho},

    and amounts of period t are discounted by :math:`(1+d)^{-(t-1)}`. Non-monetary parts are
    valued in currency by stated assumptions: each referred customer saves the acquisition cost;
    each customer gives ``feedback_value`` a period; each returning customer (tenure 2 or more)
    saves the search, contracting and monitoring costs a new one would need.

    Parameters
    ----------
    acquisition : float
        Customers won per period by the firm's own effort (0 … 10^9; expected values, need not be
        whole).
    retention_rate : float in [0, 1)
        Retention rate r per period.
    discount_rate : float in [0, 1]
        Discount rate d per period.
    periods : int
        Horizon T, 1 … 500 periods.
    margin : float
        Margin m of a customer in her first period (currency per period), >= 0.
    margin_growth : float in (-1, 1]
        Growth g of the margin per period of tenure (more purchases, more products, a price premium).
    service_cost : float
        Cost c of serving a customer in her first period (currency per period), >= 0.
    cost_decline : float in [0, 1)
        Fall δ of the service cost per period of tenure (the firm knows her, she knows the firm).
    referral_rate : float in [0, 1)
        New customers referred per customer per period; ``retention_rate + referral_rate`` must
        stay below 1 (otherwise the base grows without limit).
    acquisition_cost : float
        Cost of winning one customer by the firm's own effort (currency), >= 0; a referred
        customer saves it.
    feedback_value : float
        Value of one customer's feedback (ideas, complaints that reveal faults) per period, >= 0.
    search_cost, contracting_cost, monitoring_cost : float
        Transaction costs per period that a new customer needs and a returning one saves, >= 0.

    Returns
    -------
    CustomerBaseResult

    Raises
    ------
    ValueError
        For an argument out of its range, or ``retention_rate + referral_rate >= 1``.

    References
    ----------
    Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services.
    *Harvard Business Review* 68(5), 105-111 (profit per customer rises with tenure: base
    profit, more purchases, lower operating costs, referrals, price premium).
    Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *Journal of Marketing
    Research* 41(1), 7-18 (a customer base as cohorts acquired period by period).
    Williamson, O. E. (1985). *The Economic Institutions of Capitalism*. Free Press (transaction
    costs of search, contracting and monitoring).

    Examples
    --------
    >>> res = project_customer_base(100, 0.8, 0.1, periods=3)
    >>> res.by_period["customers"].round(6).tolist()   # 100, 100 + 0.8*100, 100 + 0.8*180
    [100.0, 180.0, 244.0]
    >>> round(res.steady_state_customers, 6)            # 100 / (1 - 0.8)
    500.0
    """
    A = v.in_range("acquisition", acquisition, 0, MAX_ACQUISITION, unit="customers per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    d = v.in_range("discount_rate", discount_rate, 0, 1, unit="per period")
    T = v.integer("periods", periods, minimum=1, maximum=MAX_PROJECTION_PERIODS)
    m = v.money("margin", margin, minimum=0, unit="currency per period")
    g = v.in_range("margin_growth", margin_growth, -1, 1, low_open=True, unit="per period")
    c = v.money("service_cost", service_cost, minimum=0, unit="currency per period")
    delta = v.in_range("cost_decline", cost_decline, 0, 1, high_open=True, unit="per period")
    rho = v.probability("referral_rate", referral_rate, open_high=True)
    a = v.money("acquisition_cost", acquisition_cost, minimum=0, unit="currency per customer")
    f = v.money("feedback_value", feedback_value, minimum=0, unit="currency per customer per period")
    tc = {
        "search": v.money("search_cost", search_cost, minimum=0, unit="currency per customer per period"),
        "contracting": v.money(
            "contracting_cost", contracting_cost, minimum=0, unit="currency per customer per period"
        ),
        "monitoring": v.money("monitoring_cost", monitoring_cost, minimum=0, unit="currency per customer per period"),
    }
    scalars = dict(acquisition=A, retention_rate=r, discount_rate=d, margin=m, margin_growth=g, service_cost=c)
    scalars.update(cost_decline=delta, referral_rate=rho, acquisition_cost=a, feedback_value=f)
    scalars.update({f"{k}_cost": x for k, x in tc.items()})
    for name, x in scalars.items():
        if np.ndim(x):
            raise TypeError(f"{name} must be a single number for a projection; got an array of shape {np.shape(x)}")
    if r + rho >= 1:
        raise ValueError(
            "retention_rate + referral_rate must be below 1 (otherwise the base grows without limit); "
            f"got {r:g} + {rho:g} = {r + rho:g}"
        )

    # one customer in her k-th period (k = 1..T): the retention-time effect per customer
    k = np.arange(1, T + 1)
    per = pd.DataFrame(
        {
            "margin": m * (1 + g) ** (k - 1),
            "service_cost": -c * (1 - delta) ** (k - 1),
            "referrals": np.full(T, rho * a),
            "feedback": np.full(T, f),
            **{name: np.where(k >= 2, x, 0.0) for name, x in tc.items()},
        },
        index=pd.Index(k, name="tenure"),
    )
    per["monetary"] = per["margin"] + per["service_cost"]
    per["non_monetary"] = per[list(NON_MONETARY_PARTS)].sum(axis=1)
    per["total"] = per["monetary"] + per["non_monetary"]
    per["survival"] = r ** (k - 1)  # chance that a new customer is still there in her k-th period

    # cohorts: new[s] customers start in period s; n[s, t] = new[s] r^(t-s) for t >= s
    new = np.zeros(T)
    referred = np.zeros(T)
    cohorts = np.zeros((T, T))  # rows: cohort s, columns: period t
    prev = 0.0
    for t in range(T):
        referred[t] = rho * prev
        new[t] = A + referred[t]
        cohorts[t, t:] = new[t] * r ** np.arange(T - t)
        prev = cohorts[: t + 1, t].sum()
    customers = cohorts.sum(axis=0)
    # tenure of cohort s in period t is t - s + 1: sum over cohorts of n[s, t] * x(tenure)
    tenure = np.arange(T)[None, :] - np.arange(T)[:, None] + 1  # [s, t] -> t - s + 1
    valid = tenure >= 1

    def over_cohorts(x_by_tenure: np.ndarray) -> np.ndarray:
        lookup = np.where(valid, x_by_tenure[np.clip(tenure, 1, T) - 1], 0.0)
        return (cohorts * lookup).sum(axis=0)

    with np.errstate(invalid="ignore", divide="ignore"):
        mean_tenure = np.where(
            customers > 0, over_cohorts(k.astype(float)) / np.where(customers > 0, customers, 1), 0.0
        )
    table = pd.DataFrame(
        {
            "acquired": np.full(T, A),
            "referred": referred,
            "new_customers": new,
            "returning": customers - new,
            "customers": customers,
            "mean_tenure": mean_tenure,
            "margin": over_cohorts(per["margin"].to_numpy()),
            "service_cost": over_cohorts(per["service_cost"].to_numpy()),
            "acquisition_spend": np.full(T, -A * a),
            "referrals": referred * a,
            "feedback": customers * f,
            **{name: (customers - new) * x for name, x in tc.items()},
        },
        index=pd.Index(k, name="period"),
    )
    table["monetary"] = table[list(MONETARY_PARTS)].sum(axis=1)
    table["non_monetary"] = table[list(NON_MONETARY_PARTS)].sum(axis=1)
    table["total"] = table["monetary"] + table["non_monetary"]
    table["discount_factor"] = (1 + d) ** -(k - 1.0)
    for col in ("monetary", "non_monetary", "total"):
        table[f"pv_{col}"] = table[col] * table["discount_factor"]
    v.finite_result("project_customer_base", table.to_numpy(), hint="lower the amounts or the horizon")

    # the one home of retention-based value: one customer's monetary lifetime value
    clv_margin = _value.clv_from_retention(m, r, d, T, margin_growth=g, timing="start")
    clv_cost = _value.clv_from_retention(c, r, d, T, margin_growth=-delta, timing="start")
    inputs = dict(scalars, periods=T)
    return CustomerBaseResult(
        inputs=MappingProxyType(inputs),
        steady_state_customers=float(A / (1 - r - rho)),
        expected_lifetime=float(_value.expected_lifetime(r)),
        customer_value=float(clv_margin - clv_cost - a),
        _by_period=table,
        _by_tenure=per,
    )


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class RetentionEffectsResult:
    """What :func:`retention_effects` returns: two projections and the difference split into two effects.

    Attributes
    ----------
    baseline, improved : CustomerBaseResult
        The projections at the baseline and at the improved retention rate.
    by_period : pandas.DataFrame
        Index ``period``: ``customers_baseline``, ``customers``, ``value_per_customer_baseline``,
        ``value_per_customer`` (total value per customer in the period), ``number_effect``,
        ``time_effect``, ``difference`` (= number + time effect) and their present values
        ``pv_number_effect``, ``pv_time_effect``, ``pv_difference``.
    number_effect, time_effect : float
        Present values of the two effects over the horizon (currency).
    """

    baseline: CustomerBaseResult
    improved: CustomerBaseResult
    _by_period: pd.DataFrame

    @property
    def by_period(self) -> pd.DataFrame:
        return self._by_period.copy()

    @property
    def number_effect(self) -> float:
        return float(self._by_period["pv_number_effect"].sum())

    @property
    def time_effect(self) -> float:
        return float(self._by_period["pv_time_effect"].sum())

    def summary(self) -> pd.DataFrame:
        """The two effects and their sum, in present value and as a share of the difference."""
        total = self.number_effect + self.time_effect
        out = pd.DataFrame(
            {"present_value": [self.number_effect, self.time_effect, total]},
            index=pd.Index(["customer-number growth effect", "retention-time effect", "difference"], name="effect"),
        )
        out["share"] = out["present_value"] / total if total != 0 else np.nan
        out.attrs["i18n_context"] = "retention effects"  # "difference" = the total gain, not a point of difference
        return out

    def __repr__(self) -> str:
        return _(
            "RetentionEffectsResult(retention {baseline:g} -> {improved:g}: number effect {number_effect:.1f}, "
            "time effect {time_effect:.1f})"
        ).format(
            baseline=self.baseline.inputs["retention_rate"],
            improved=self.improved.inputs["retention_rate"],
            number_effect=self.number_effect,
            time_effect=self.time_effect,
        )


def retention_effects(baseline_retention_rate=0.7, retention_rate=0.8, **projection) -> RetentionEffectsResult:
    r"""Split the gain from higher retention into the customer-number and the retention-time effect.

    Both bases are projected with :func:`project_customer_base` (the other arguments, passed as
    keywords, are the same for both). In period t, with :math:`C_t` customers worth :math:`v_t`
    each on average (total value of the period / customers),

    .. math:: C_t v_t - C^0_t v^0_t = \underbrace{(C_t - C^0_t)\, v^0_t}_{\text{number effect}}
              + \underbrace{C_t (v_t - v^0_t)}_{\text{time effect}},

    an exact split: the first term is the value of the extra customers at the old value per
    customer (客户数量增长效应), the second the higher value of every customer because the base
    is older (客户保持时间效应). With no tenure effects (no margin growth, cost decline or
    transaction costs, no acquisition spend) the value per customer is the same at any retention
    rate and the time effect is zero.

    Parameters
    ----------
    baseline_retention_rate, retention_rate : float in [0, 1)
        Retention before and after.
    **projection
        Other arguments of :func:`project_customer_base` (``acquisition``, ``discount_rate``,
        ``periods``, ``margin``, ...).

    Returns
    -------
    RetentionEffectsResult

    Examples
    --------
    >>> fx = retention_effects(0.7, 0.8, periods=5, margin=10.0)
    >>> abs(round(fx.time_effect, 6)), fx.number_effect > 0
    (0.0, True)
    """
    v.probability("baseline_retention_rate", baseline_retention_rate, open_high=True)
    base = project_customer_base(retention_rate=baseline_retention_rate, **projection)
    up = project_customer_base(retention_rate=retention_rate, **projection)
    b, u = base._by_period, up._by_period

    def per_customer(t):
        return np.where(t["customers"] > 0, t["total"] / np.where(t["customers"] > 0, t["customers"], 1), 0.0)

    v0, v1 = per_customer(b), per_customer(u)
    out = pd.DataFrame(
        {
            "customers_baseline": b["customers"],
            "customers": u["customers"],
            "value_per_customer_baseline": v0,
            "value_per_customer": v1,
            "number_effect": (u["customers"] - b["customers"]) * v0,
            "time_effect": u["customers"] * (v1 - v0),
        },
        index=b.index,
    )
    out["difference"] = out["number_effect"] + out["time_effect"]
    for col in ("number_effect", "time_effect", "difference"):
        out[f"pv_{col}"] = out[col] * b["discount_factor"]
    return RetentionEffectsResult(baseline=base, improved=up, _by_period=out)


# --------------------------------------------------------------------------------------
# building loyalty as a practice: strategies, principles, value proposition, programmes
# --------------------------------------------------------------------------------------

# Each row's "source" is one marked literal (the slide deck, seed file, and the part of it), so that the
# Chinese edition shows the whole cell in Chinese: seed 003 is 第五章 客户忠诚度管理 with the hotel and
# customer-service training decks, seed 000 is 会展客户关系管理 第六章.

_STRATEGIES = (
    (
        N_("make loyalty part of the firm's strategy"),
        "把客户忠诚度策略纳入企业发展策略",
        N_("Loyalty is decided by what the whole firm does, so it belongs in the firm's plan, not in one campaign."),
        N_(
            "Why it belongs in the strategy: Coca-Cola's head said that if every plant burned down overnight, the firm "
            "could rebuild from its customers' loyalty to the brand (the slides give no case of the strategy itself)."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理); Coca-Cola case"),
    ),
    (
        N_("build a customer database"),
        "建立客户资料库",
        N_("Collect each customer's details, preferences and feedback in one record so that service can be tailored."),
        N_("The hotel decks: keep a file on every guest (needs, likes, feedback) and use it to serve the next stay."),
        N_(
            "slides, seed 003 (第五章 客户忠诚度管理); slides, seed 003 (hotel customer-service deck) (建立顾客档案, 客户信息收集)"
        ),
    ),
    (
        N_("identify the core customers"),
        "识别企业的核心客户",
        N_("Find the customers who are willing and able to stay and whom it pays to serve."),
        N_(
            "The exhibition chapter's first step: look for the 'right' exhibitors, those willing and able to be loyal "
            "and profitable to serve."
        ),
        N_("slides, seed 000 (会展客户关系管理 第六章) (寻找正确的客户)"),
    ),
    (
        N_("value the core customers"),
        "评估核心客户价值",
        N_("Estimate each core customer's lifetime value (Cv) to decide how much to spend on keeping her."),
        N_(
            "Case C: Mrs Smith spends USD 50 a week at Jack's supermarket; what is she worth, and what does losing her "
            "cost? (computed in chapter 3)"
        ),
        N_("slides, seed 000 (会展客户关系管理 第六章) (Case C); slides, seed 003 (第五章 客户忠诚度管理) (Cv)"),
    ),
    (
        N_("raise satisfaction"),
        "提高客户满意度",
        N_("Satisfaction is the foundation of loyalty, but only very high satisfaction protects against rivals."),
        N_(
            "Case A: US car makers had over 90% satisfied buyers, yet only 30-40% bought the same make again; the "
            "top box bought again six times as often as the merely satisfied."
        ),
        N_("slides, seed 000 (会展客户关系管理 第六章) (Case A); slides, seed 003 (第五章 客户忠诚度管理)"),
    ),
    (
        N_("communicate well with customers"),
        "与客户建立良好沟通",
        N_("Keep in touch on the customer's channels, listen, and act on what she says."),
        N_(
            "The satisfaction deck's lever: regular contact by phone, e-mail or social media to learn how satisfied "
            "customers are and what they want."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (定期沟通)"),
    ),
    (
        N_("improve internal service and build employee loyalty"),
        "提高内部服务质量,重视员工忠诚的培养",
        N_("Staff who are trained, cared for and stay deliver the encounters that make customers stay."),
        N_(
            "The hotel deck trains service attitude, skills and teamwork; the customer-service deck adds care and "
            "benefits for staff (health insurance, team events)."
        ),
        N_(
            "slides, seed 003 (hotel customer-service deck) (服务意识培训, 团队协作); slides, seed 003 (customer-service training deck) (员工关怀与福利)"
        ),
    ),
    (
        N_("manage exits to reduce defection"),
        "加强退出管理,减少客户流失",
        N_("Find out why customers leave — the firm's faults or the customer's changed situation — and act on it."),
        N_(
            "The slides' churn analysis: the firm's side (quality, service, no innovation, weak market monitoring, "
            "staff leaving) and the customer's (a new temptation, a demand refused, changed needs)."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (5.3 预防客户流失)"),
    ),
    (
        N_("set up an evaluation system"),
        "建立评价体系",
        N_("Check whether the loyalty strategy works, with measures decided in advance."),
        N_(
            "The customer-service deck's performance system: customer satisfaction, speed of complaint handling and "
            "teamwork, reviewed regularly with feedback to staff."
        ),
        N_(
            "slides, seed 003 (第五章 客户忠诚度管理); slides, seed 003 (customer-service training deck) (绩效评估体系)"
        ),
    ),
)

_PRINCIPLES = (
    (
        N_("control product quality and price"),
        "控制产品质量和价格",
        N_(
            "小柯's fried rice: the waitress charmed him and he said he was satisfied, but the dish was inedible and he "
            "never went back; friendly service does not rescue a bad core product."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (小柯 case)"),
    ),
    (
        N_("know the product thoroughly"),
        "了解企业的产品",
        N_(
            "The hotel decks train staff in professional knowledge so that they can answer and solve guests' problems "
            "on the spot."
        ),
        N_("slides, seed 003 (hotel customer-service deck) (专业素养)"),
    ),
    (
        N_("know the customer"),
        "了解企业的客户",
        N_(
            "张三 and 李四 both like apples yet buy from different stalls: 张三 pays more at 王大妈's for freshness, "
            "while the other stall (张大婶's) is cheaper; each chooses by what he values."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (情景写实: 张三 / 李四)"),
    ),
    (
        N_("give better service"),
        "提高服务质量",
        N_(
            "IBM is the chapter's opening case of loyalty won by service quality (the slide text keeps only its title)."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (IBM case, title only)"),
    ),
    (
        N_("raise satisfaction"),
        "提高客户满意度",
        N_("Case A: only the top box of satisfaction turned into repeat purchases of the same car make."),
        N_("slides, seed 000 (会展客户关系管理 第六章) (Case A)"),
    ),
    (
        N_("exceed expectations"),
        "超越客户期待",
        N_(
            "Exhibition organisers surprise exhibitors with added services: market and policy information, an online "
            "'virtual exhibition', press conferences and technical seminars during the fair."
        ),
        N_("slides, seed 000 (会展客户关系管理 第六章) (增值服务, 使客户惊喜)"),
    ),
    (
        N_("personalise"),
        "满足客户个性化要求",
        N_(
            "Beijing Capital Airport's VIP floor: a private lounge with internet and drinks, a reminder and escort to "
            "the gate, and a separate lane and car park."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (首都国际机场 VIP case)"),
    ),
    (
        N_("handle problems and complaints well"),
        "正确处理客户问题",
        N_(
            "Case C: Mrs Smith, a USD 50-a-week regular, grows dissatisfied with Jack's supermarket (the slide breaks "
            "off on what the store refused her); an unhandled complaint puts a lifetime of purchases at risk."
        ),
        N_("slides, seed 000 (会展客户关系管理 第六章) (Case C)"),
    ),
    (
        N_("make buying simple"),
        "让购买程序变得简单",
        N_(
            "珍珠's phone kiosk: a chair for callers, paper and pens by the phone, drinks and cigarettes for those "
            "waiting; her street had several kiosks, but the regulars came to hers."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (珍珠 case)"),
    ),
    (
        N_("serve the internal customers (staff)"),
        "服务内部客户(员工)",
        N_(
            "The service decks treat staff as the first customers: training and teamwork (hotel deck), care and "
            "benefits (customer-service deck)."
        ),
        N_(
            "slides, seed 003 (hotel customer-service deck); slides, seed 003 (customer-service training deck) (员工关怀与福利)"
        ),
    ),
)


def _table(rows, columns, index_name) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(columns))
    out.index = pd.RangeIndex(1, len(out) + 1, name=index_name)
    return out


def loyalty_strategies() -> pd.DataFrame:
    """The slides' nine strategies for winning loyalty (获得客户忠诚度的策略), each with a case.

    Returns
    -------
    pandas.DataFrame
        Index ``strategy_no`` 1..9 (the slides' order); columns ``strategy``, ``chinese`` (the
        slides' words), ``meaning`` (our words), ``case`` (the slides' case, retold) and
        ``source`` (which slide deck the strategy and its case come from).

    Examples
    --------
    >>> loyalty_strategies().loc[2, "chinese"]
    '建立客户资料库'
    """
    return _table(_STRATEGIES, ("strategy", "chinese", "meaning", "case", "source"), "strategy_no")


def loyalty_principles() -> pd.DataFrame:
    """The slides' ten principles for raising loyalty (提高客户忠诚度的十大原则), each with a case.

    The ``principle`` column is :data:`TEN_PRINCIPLES`. Cases are the slides' own, retold in
    our words; where the slide keeps only a case's title (IBM) the row says so.

    Returns
    -------
    pandas.DataFrame
        Index ``principle_no`` 1..10; columns ``principle``, ``chinese``, ``case``, ``source``.

    Examples
    --------
    >>> loyalty_principles().loc[9, "principle"]
    'make buying simple'
    """
    return _table(_PRINCIPLES, ("principle", "chinese", "case", "source"), "principle_no")


_VALUE_POINTS = (
    (
        N_("point of parity"),
        "相似点",
        N_("what the firm offers as well as its rivals do; without it the customer does not consider the firm"),
        N_("a large-equipment buyer expects the usual quality and after-sales service from every supplier"),
    ),
    (
        N_("point of difference"),
        "差异点",
        N_("where the firm is better than its rivals on what customers care about; the reason to choose it"),
        N_("a supplier whose after-sales service reaches the site within a day when rivals take a week"),
    ),
    (
        N_("point of resonance"),
        "共鸣点",
        N_("a product or service tailored to this customer's own needs; the reason to stay"),
        N_("a maintenance plan fitted to one buyer's production schedule"),
    ),
)


def value_proposition_points() -> pd.DataFrame:
    """The three points of a customer value proposition (客户价值主张): parity, difference, resonance.

    The slides' criteria for a large-equipment buyer (quality, after-sales service, price,
    brand) frame the examples, which are ours.

    Returns
    -------
    pandas.DataFrame
        Index ``point``; columns ``chinese``, ``meaning``, ``example``, ``source``.

    Examples
    --------
    >>> value_proposition_points()["chinese"].tolist()
    ['相似点', '差异点', '共鸣点']
    """
    out = pd.DataFrame(list(_VALUE_POINTS), columns=["point", "chinese", "meaning", "example"]).set_index("point")
    out["source"] = N_("slides, seed 003 (第五章 客户忠诚度管理) (设计一个卓越的客户价值主张); examples: the suite's")
    return out


def value_points(firm, rival, importance, tolerance: float = 0.5, resonance_min: float = 4.5):
    """Classify each criterion of an offer as a point of parity, difference or resonance, or a gap.

    Per criterion (1-5 ratings of the firm and of its best rival, and the customer's importance
    1-5): a criterion the customer rates at ``resonance_min`` or above and where the firm is
    ahead by more than ``tolerance`` is a ``"resonance"`` point (共鸣点: better on what this
    customer cares most about); otherwise ahead by more than ``tolerance`` is ``"difference"``
    (差异点), within ``tolerance`` is ``"parity"`` (相似点), and behind by more is ``"gap"``
    (to fix first). The cut-offs are the suite's reading, arguments to vary.

    Parameters
    ----------
    firm, rival, importance : pandas.Series or array-like of 1-5 scores
        Aligned by index (one row per criterion) when Series.
    tolerance : float in [0, 4]
        Largest difference that still counts as parity.
    resonance_min : float in [1, 5]
        Importance from which a criterion is this customer's own concern.

    Returns
    -------
    str, ndarray or pandas.Series
        One label per criterion, shaped like the input.

    Examples
    --------
    >>> value_points([4, 5, 3, 4], [4, 3, 4, 4], [5, 5, 3, 2]).tolist()
    ['parity', 'resonance', 'gap', 'parity']
    """
    index, arr, scalar = _numeric(firm=firm, rival=rival, importance=importance)
    f = np.asarray(_likert("firm", arr["firm"]), dtype=float)
    r = np.asarray(_likert("rival", arr["rival"]), dtype=float)
    imp = np.asarray(_likert("importance", arr["importance"]), dtype=float)
    tol = _single("tolerance", tolerance, 0, 4)
    res = _single("resonance_min", resonance_min, 1, 5)
    gap = f - r
    out = np.where(gap > tol, np.where(imp >= res, "resonance", "difference"), np.where(gap < -tol, "gap", "parity"))
    return _labels(out, index, scalar, "value_point")


_PROGRAMME_KEYS = (
    (
        N_("adjust the programme to what customers actually do"),
        "忠诚计划需要依据客户行为而调整",
        N_(
            "American Express began with points for flights, then added partner firms (hotels first, later many more) "
            "and rewards such as spas, travel and donations, and gives double points at petrol stations and "
            "supermarkets, where people shop every day."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (American Express case)"),
    ),
    (
        N_("segment customers and treat them differently"),
        "区隔顾客、区别对待",
        N_(
            "Low-involvement members want hard benefits (free items, discounts, coupons); high-involvement members "
            "want soft ones (fast check-in, upgrades, lounges), like the VIP floor at Beijing Capital Airport."
        ),
        N_("slides, seed 003 (第五章 客户忠诚度管理) (实质的利益 / 软性利益; 首都国际机场 VIP case)"),
    ),
)


def programme_keys() -> pd.DataFrame:
    """The slides' two keys to a winning loyalty programme (客户忠诚计划制胜关键), with their cases.

    :func:`reward_points` computes the first case's points and :func:`benefit_type` the second
    key's hard-or-soft choice.

    Returns
    -------
    pandas.DataFrame
        Index ``key_no`` 1..2; columns ``key``, ``chinese``, ``case``, ``source``.

    Examples
    --------
    >>> programme_keys().loc[2, "chinese"]
    '区隔顾客、区别对待'
    """
    out = _table(_PROGRAMME_KEYS, (NP_("programme keys", "key"), "chinese", "case", "source"), "key_no")
    out.attrs["i18n_context"] = "programme keys"  # "key" = 关键 (制胜关键), not an identifier (代号)
    return out


def satisfaction_conditions(competitive_intensity=(0.0, 0.5, 0.9, 1.0), switching_barrier=(0.0, 0.5)) -> pd.DataFrame:
    """When does satisfaction turn into loyalty? Repurchase by satisfaction level under each market condition.

    The exhibition chapter says satisfaction turns into loyalty only "under certain conditions"
    (在一定条件下). This evaluates chapter 1's curve
    :func:`crmlib.satisfaction.repurchase_probability` (a stylised Jones–Sasser curve) for each
    competitive intensity c and switching barrier b: in a protected market the merely satisfied
    (4) already come back; under intense competition only the completely satisfied (5) do, and a
    barrier keeps customers whatever their satisfaction (hostages, not loyalists).

    Parameters
    ----------
    competitive_intensity : float or sequence of floats in [0, 1]
    switching_barrier : float or sequence of floats in [0, 1)

    Returns
    -------
    pandas.DataFrame
        MultiIndex (``competitive_intensity``, ``switching_barrier``); columns ``p(s=3)``,
        ``p(s=4)``, ``p(s=5)`` (repurchase probabilities) and ``top_box_ratio`` = p(5) / p(4).

    References
    ----------
    Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *Harvard Business
    Review* 73(6), 88-99.

    Examples
    --------
    >>> round(float(satisfaction_conditions(1.0, 0.0)["top_box_ratio"].iloc[0]), 3)   # Jones & Sasser's Xerox: 6 times
    6.0
    """
    from . import satisfaction as _sat

    cs = np.atleast_1d(v.probability("competitive_intensity", competitive_intensity))
    bs = np.atleast_1d(v.probability("switching_barrier", switching_barrier, open_high=True))
    rows = []
    for c in cs:
        for b in bs:
            p = _sat.repurchase_probability([3, 4, 5], competitive_intensity=float(c), switching_barrier=float(b))
            rows.append(
                {
                    "competitive_intensity": float(c),
                    "switching_barrier": float(b),
                    "p(s=3)": p[0],
                    "p(s=4)": p[1],
                    "p(s=5)": p[2],
                    "top_box_ratio": p[2] / p[1],
                }
            )
    return pd.DataFrame(rows).set_index(["competitive_intensity", "switching_barrier"])
