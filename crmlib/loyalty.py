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

Measurement: :func:`criteria_index` (the five measurement criteria with stated weights),
:func:`quantified_index` (satisfaction, repurchase probability, recommendation),
:func:`loyal_signs`, and behavioural measures from a transaction log
(:func:`purchase_history`, :func:`repeat_rate`, :func:`inter_purchase_times`,
:func:`period_share`, :func:`share_of_wallet`).

Relationship quality: :func:`simulate_relationship_survey`, :func:`cronbach_alpha`,
:func:`scale_scores`, :func:`fit_relationship_quality` (OLS or ordered logit with
standardised effects).

Economics of loyalty: :data:`INDUSTRY_RATIOS`, :func:`implied_retention`,
:func:`max_value_ratio`, :func:`loyal_customer_profit`, :func:`customer_delivered_value`.

Conventions: every classifier treats a score **equal to its cut-off as "high"**
(``score >= cutoff``). Scalars give a ``str``; arrays give a NumPy array of ``str``;
a :class:`pandas.Series` gives a Series with the same index.

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

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import _validate as v

__all__ = [
    "DICK_BASU_CLASSES", "GRIFFIN_CLASSES", "SEVEN_TYPES", "LoyaltyType", "OLIVER_PHASES",
    "MCKINSEY_SEGMENTS", "PROGRAMME_VIEWS", "FOUR_LEVELS", "LOYAL_SIGNS", "CRITERIA",
    "DEFAULT_WEIGHTS", "LoyaltyCriteria", "SATISFACTION_LEVELS", "RECOMMEND_LEVELS",
    "TEN_PRINCIPLES", "INDUSTRY_RATIOS", "ACTIONS", "SURVEY_SCALES",
    "dick_basu", "griffin", "seven_type", "oliver_phase", "loyalty_dimensions",
    "mckinsey_segment", "programme_view", "loyalty_level", "loyal_signs",
    "criteria_index", "quantified_index", "repurchase_band",
    "purchase_history", "repeat_rate", "inter_purchase_times", "period_share", "share_of_wallet",
    "simulate_relationship_survey", "cronbach_alpha", "scale_scores",
    "fit_relationship_quality", "RelationshipQualityResult",
    "implied_retention", "max_value_ratio", "loyal_value_ratio", "loyal_customer_profit", "customer_delivered_value",
    "benefit_type", "reward_points",
    "plot_loyalty_grid", "plot_seven_types", "plot_inter_purchase_times",
    "plot_standardised_effects", "plot_index_contributions",
]

LIKERT_MIN, LIKERT_MAX = 1, 5

# --------------------------------------------------------------------------------------
# helpers: vectorised labelling
# --------------------------------------------------------------------------------------


def _label_output(labels: np.ndarray, template):
    """Return labels shaped like ``template``: str for scalars, Series for Series, else array."""
    if isinstance(template, pd.Series):
        return pd.Series(labels, index=template.index, name=template.name, dtype=object)
    if np.ndim(template) == 0:
        return str(labels.item() if isinstance(labels, np.ndarray) else labels)
    return labels


def _check_shapes(**arrays):
    shapes = {k: np.shape(a) for k, a in arrays.items()}
    nonscalar = {k: s for k, s in shapes.items() if s != ()}
    if len(set(nonscalar.values())) > 1:
        shown = ", ".join(f"{k} has shape {s}" for k, s in shapes.items())
        raise ValueError(f"{', '.join(shapes)} must have the same shape (or be scalars); {shown}")


def _likert(name: str, value, low=LIKERT_MIN, high=LIKERT_MAX):
    return v.in_range(name, value, low, high, unit=f"(a {low}-{high} Likert score)")


def _template(*values):
    for val in values:
        if isinstance(val, pd.Series):
            return val
    for val in values:
        if np.ndim(val) > 0:
            return np.asarray(val)
    return values[0]


# --------------------------------------------------------------------------------------
# Dick & Basu (1994), Griffin
# --------------------------------------------------------------------------------------

#: Dick & Basu's four cells: (attitude high?, patronage high?) -> class.
DICK_BASU_CLASSES = MappingProxyType({
    (True, True): "loyalty",
    (True, False): "latent loyalty",
    (False, True): "spurious loyalty",
    (False, False): "no loyalty",
})

#: Griffin's four cells: (attachment high?, repeat purchase high?) -> class.
GRIFFIN_CLASSES = MappingProxyType({
    (True, True): "premium loyalty",
    (True, False): "latent loyalty",
    (False, True): "inertia loyalty",
    (False, False): "no loyalty",
})

#: What to do about each class (course advice, in our words).
ACTIONS = MappingProxyType({
    "loyalty": "Reward and protect: recognise the customer, ask for referrals, never take them for granted.",
    "premium loyalty": "Reward and protect: recognise the customer, ask for referrals, never take them for granted.",
    "latent loyalty": "Remove the barriers to buying (access, price points, opening hours, range).",
    "spurious loyalty": "Build attitude before a rival tempts them: differentiate, personalise, add relationship ties.",
    "inertia loyalty": "Turn habit into preference: show the difference, add soft benefits, talk to the customer.",
    "no loyalty": "Decide whether the customer is worth winning; if so, give a reason to prefer and to return.",
    "monopoly loyalty": "Do not mistake captivity for loyalty: improve service before competition arrives.",
    "convenience loyalty": "Keep being easy to buy from, and add reasons to stay if a rival becomes as convenient.",
    "price loyalty": "Loyal to the lowest price, not to you: do not buy them with discounts you cannot keep; "
                     "add value that is not price (service, convenience) to earn some attachment.",
    "incentive loyalty": "The programme buys repeat purchases, not attachment: add soft benefits and service.",
})


def _two_by_two(att, pat, att_cut, pat_cut, names, table, att_range, pat_range):
    template = _template(att, pat)
    _check_shapes(**{names[0]: att, names[1]: pat})
    a = np.asarray(v.in_range(names[0], att, *att_range), dtype=float)
    p = np.asarray(v.in_range(names[1], pat, *pat_range), dtype=float)
    v.in_range(names[2], att_cut, *att_range)
    v.in_range(names[3], pat_cut, *pat_range)
    hi_a, hi_p = np.broadcast_arrays(a >= att_cut, p >= pat_cut)
    out = np.where(hi_a, np.where(hi_p, table[(True, True)], table[(True, False)]),
                   np.where(hi_p, table[(False, True)], table[(False, False)])).astype(object)
    return _label_output(out, template)


def dick_basu(relative_attitude, repeat_patronage, attitude_cutoff: float = 0.5,
              patronage_cutoff: float = 0.5):
    """Dick & Basu's loyalty class from relative attitude and repeat patronage.

    A customer whose relative attitude is at or above ``attitude_cutoff`` has a *high*
    attitude; one whose repeat patronage is at or above ``patronage_cutoff`` has *high*
    patronage (a value exactly at the cut-off counts as high). Then

    ==============  ===================  ====================
    attitude        patronage high       patronage low
    ==============  ===================  ====================
    high            ``"loyalty"``        ``"latent loyalty"``
    low             ``"spurious loyalty"`` ``"no loyalty"``
    ==============  ===================  ====================

    Parameters
    ----------
    relative_attitude : float or array-like or pandas.Series
        Preference for the brand relative to the alternatives, scaled to [0, 1]
        (0 = strongly prefers rivals, 1 = strongly prefers this brand).
    repeat_patronage : float or array-like or pandas.Series
        Repeat buying scaled to [0, 1], e.g. the share of the customer's category
        purchases that go to the brand.
    attitude_cutoff, patronage_cutoff : float in [0, 1], default 0.5
        Where "high" begins.

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series
        One of ``"loyalty"``, ``"latent loyalty"``, ``"spurious loyalty"``, ``"no loyalty"``
        per customer, shaped like the input.

    Raises
    ------
    ValueError
        If a score or cut-off is outside [0, 1] or the inputs' shapes differ.

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
    """
    return _two_by_two(relative_attitude, repeat_patronage, attitude_cutoff, patronage_cutoff,
                       ("relative_attitude", "repeat_patronage", "attitude_cutoff", "patronage_cutoff"),
                       DICK_BASU_CLASSES, (0, 1), (0, 1))


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
        Repeat buying in [0, 1] (e.g. share of category purchases).
    attachment_cutoff, repeat_cutoff : float in [0, 1], default 0.5

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    Raises
    ------
    ValueError
        If a score or cut-off is outside [0, 1].

    References
    ----------
    Griffin, J. (2002). *Customer Loyalty: How to Earn It, How to Keep It* (new and rev.
    ed.). San Francisco: Jossey-Bass, ch. 2 (the four types of loyalty).

    Examples
    --------
    >>> griffin(0.3, 0.9)
    'inertia loyalty'
    >>> griffin(pd.Series([0.9, 0.9], index=["a", "b"]), [0.9, 0.1]).tolist()
    ['premium loyalty', 'latent loyalty']
    """
    return _two_by_two(attachment, repeat_purchase, attachment_cutoff, repeat_cutoff,
                       ("attachment", "repeat_purchase", "attachment_cutoff", "repeat_cutoff"),
                       GRIFFIN_CLASSES, (0, 1), (0, 1))


# --------------------------------------------------------------------------------------
# the course's seven types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoyaltyType:
    """One of the course's seven loyalty types: attachment, repeat purchase, driver and source.

    ``source`` says where the attachment x repeat profile comes from and how firmly:
    ``"slide text (explicit)"`` for the one row the slides keep; otherwise ``"textbook; ..."``
    -- the Chinese CRM textbook table the slides draw on (not in the slide text) -- followed
    by whether the profile is explicit in Griffin (2002), as the textbooks give it, or the
    suite's reading (see the module docstring, "Where the seven types come from").
    """

    name: str
    chinese: str
    attachment: str  # "low" / "high"
    repeat: str  # "low" / "high"
    driver: str
    example: str
    source: str


#: The seven types in the course's order, with attachment (依恋), repeat purchase, driver and source.
SEVEN_TYPES: tuple[LoyaltyType, ...] = (
    LoyaltyType("monopoly loyalty", "垄断忠诚", "low", "high", "no alternative",
                "a business traveller who must take the train", "slide text (explicit)"),
    LoyaltyType("inertia loyalty", "惰性忠诚", "low", "high", "habit",
                "a shopper who buys the same detergent by habit", "textbook; profile explicit in Griffin 2002"),
    LoyaltyType("latent loyalty", "潜在忠诚", "high", "low", "barriers to buying",
                "a fan of a restaurant too far away to visit often", "textbook; profile explicit in Griffin 2002"),
    LoyaltyType("convenience loyalty", "方便忠诚", "low", "high", "convenience",
                "a commuter who buys coffee on the way to work", "textbook; profile is the suite's reading"),
    LoyaltyType("price loyalty", "价格忠诚", "low", "low", "lowest price",
                "a buyer who goes wherever the price is lowest", "textbook; low/low as the textbooks give it"),
    LoyaltyType("incentive loyalty", "激励忠诚", "low", "high", "rewards",
                "a traveller who flies one airline for its points", "textbook; profile is the suite's reading"),
    LoyaltyType("premium loyalty", "超值忠诚", "high", "high", "true preference",
                "an exhibitor who rebooks yearly and recommends it", "textbook; profile explicit in Griffin 2002"),
)

#: Survey items used by :func:`seven_type` (1-5 Likert, 5 = strongly agree).
SEVEN_TYPE_ITEMS = ("attachment", "repeat", "no_alternative", "habit", "convenience", "price",
                    "rewards", "barriers")
#: Drivers that explain *high* repeat purchase without attachment, in the course's order.
_DRIVER_TYPES = (("no_alternative", "monopoly loyalty"), ("habit", "inertia loyalty"),
                 ("convenience", "convenience loyalty"), ("rewards", "incentive loyalty"))


def seven_type(attachment, repeat, no_alternative=1, habit=1, convenience=1, price=1, rewards=1,
               barriers=1, cutoff: float = 4):
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
    attachment : float or array-like
        "I feel attached to / prefer this supplier" (依恋), 1-5.
    repeat : float or array-like
        "I buy from this supplier again and again", 1-5.
    no_alternative, habit, convenience, rewards : float or array-like, default 1
        "I buy here because there is no real alternative / out of habit / because it is
        convenient / for the rewards", 1-5.
    price : float or array-like, default 1
        "I buy wherever the price is lowest", 1-5.
    barriers : float or array-like, default 1
        "Something stops me buying here as often as I would like", 1-5 (descriptive).
    cutoff : float in [1, 5], default 4
        Lowest answer that counts as high ("agree").

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series

    Raises
    ------
    ValueError
        If any answer or the cut-off is outside 1-5, or shapes differ.

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
    items = {"attachment": attachment, "repeat": repeat, "no_alternative": no_alternative,
             "habit": habit, "convenience": convenience, "price": price, "rewards": rewards,
             "barriers": barriers}
    template = _template(attachment, repeat, *items.values())
    _check_shapes(**items)
    vals = {k: np.asarray(_likert(k, x), dtype=float) for k, x in items.items()}
    v.in_range("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    arrays = np.broadcast_arrays(*vals.values())
    vals = dict(zip(vals, arrays))
    hi_a, hi_r = vals["attachment"] >= cutoff, vals["repeat"] >= cutoff
    drivers = np.stack([vals[k] for k, _ in _DRIVER_TYPES], axis=-1)
    strongest = np.argmax(drivers, axis=-1)  # first maximum wins ties
    driver_type = np.array([t for _, t in _DRIVER_TYPES], dtype=object)[strongest]
    driver_type = np.where(drivers.max(axis=-1) >= cutoff, driver_type, "inertia loyalty")
    low_low = np.where(vals["price"] >= cutoff, "price loyalty", "no loyalty")
    out = np.where(hi_a, np.where(hi_r, "premium loyalty", "latent loyalty"),
                   np.where(hi_r, driver_type, low_low)).astype(object)
    return _label_output(out, template)


# --------------------------------------------------------------------------------------
# Oliver's phases, Gremler & Brown's dimensions, McKinsey, programme views, levels, signs
# --------------------------------------------------------------------------------------

#: Oliver's four phases in order, with Chinese names in the slides' style: the slides call the
#: four phases 四类忠诚感 and name the first 认知性忠诚感; the other three names follow that pattern
#: (our wording). They are kept apart from 行为忠诚 / 情感忠诚, the slides' Gremler & Brown split.
OLIVER_PHASES = MappingProxyType({
    "cognitive": "认知性忠诚感", "affective": "情感性忠诚感", "conative": "意向性忠诚感",
    "action": "行为性忠诚感"})


def oliver_phase(cognitive, affective, conative, action, cutoff: float = 4):
    """Deepest of Oliver's loyalty phases a customer has reached, from 1-5 survey scores.

    Oliver's phases build on each other: belief that the brand is better (cognitive),
    liking (affective), intention to rebuy (conative), then action inertia -- buying
    despite obstacles. The rule: a phase counts as reached when its score is at or above
    ``cutoff`` **and** every earlier phase is reached; the result is the last phase
    reached, or ``"none"``.

    Parameters
    ----------
    cognitive, affective, conative, action : float or array-like, 1-5
        Agreement with "X is better than the alternatives" / "I like X" / "I intend to
        keep buying X" / "I buy X even when it is out of my way or a rival has an offer".
    cutoff : float in [1, 5], default 4

    Returns
    -------
    str, numpy.ndarray of str or pandas.Series
        ``"none"``, ``"cognitive"``, ``"affective"``, ``"conative"`` or ``"action"``.

    Raises
    ------
    ValueError
        If a score is outside 1-5.

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
    template = _template(*items.values())
    _check_shapes(**items)
    v.in_range("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    arrs = np.broadcast_arrays(*[np.asarray(_likert(k, x), dtype=float) for k, x in items.items()])
    reached = np.cumprod(np.stack([a >= cutoff for a in arrs], axis=-1), axis=-1).sum(axis=-1)
    names = np.array(["none", *OLIVER_PHASES], dtype=object)
    return _label_output(names[reached], template)


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
    behavioural : float or array-like, 1-5
        Repeat buying (行为忠诚).
    intentional : float or array-like, 1-5
        Intention to keep buying and to recommend (意识忠诚).
    emotional : float or array-like, 1-5
        Liking and attachment (情感忠诚).
    cutoff : float, default 4

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
    template = _template(*items.values())
    _check_shapes(**items)
    v.in_range("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    arrs = np.broadcast_arrays(*[np.asarray(_likert(k, x), dtype=float) >= cutoff for k, x in items.items()])
    flat = [a.ravel() for a in arrs]
    labels = []
    for hi in zip(*flat):
        names = [k for k, h in zip(items, hi) if h]
        labels.append("all three" if len(names) == 3 else " + ".join(names) if names else "none")
    out = np.array(labels, dtype=object).reshape(arrs[0].shape)
    return _label_output(out, template)


#: McKinsey's six segments: (stays?, motive) -> segment, with the slides' Chinese names.
MCKINSEY_SEGMENTS = MappingProxyType({
    "emotive loyalist": "感情型忠诚客户", "inertial loyalist": "惯性型忠诚客户",
    "deliberative loyalist": "理智型忠诚客户", "lifestyle-changer": "生活方式改变型客户",
    "deliberator": "理智型客户", "dissatisfied switcher": "不满意型客户",
})


def mckinsey_segment(stays, emotional=1, habit=1, deliberation=1, life_change=1, dissatisfaction=1):
    """McKinsey's loyalty segment: three kinds of loyalists and three kinds of switchers.

    Rule: for a customer who **stays**, the strongest motive among ``emotional`` (emotive
    loyalist), ``habit`` (inertial loyalist) and ``deliberation`` (deliberative loyalist:
    stays after comparing); for a customer who **switches** (or is about to), the
    strongest among ``life_change`` (lifestyle-changer), ``deliberation`` (deliberator)
    and ``dissatisfaction`` (dissatisfied switcher). Ties go to the first in those lists.

    Parameters
    ----------
    stays : bool or array-like of bool
        True if the customer stays with the firm.
    emotional, habit, deliberation, life_change, dissatisfaction : float or array-like, 1-5
        Agreement with "I stay because I like them" / "out of habit" / "I compare and
        they win" / "my needs or circumstances changed" / "I was let down".

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
    items = {"emotional": emotional, "habit": habit, "deliberation": deliberation,
             "life_change": life_change, "dissatisfaction": dissatisfaction}
    template = _template(stays, *items.values())
    st = np.asarray(stays)
    if st.dtype != bool:
        raise TypeError(f"stays must be True/False or an array of booleans; got {stays!r}")
    _check_shapes(stays=stays, **items)
    arrs = np.broadcast_arrays(st, *[np.asarray(_likert(k, x), dtype=float) for k, x in items.items()])
    st, em, hb, de, lc, ds = arrs
    stay_lab = np.array(["emotive loyalist", "inertial loyalist", "deliberative loyalist"], dtype=object)
    go_lab = np.array(["lifestyle-changer", "deliberator", "dissatisfied switcher"], dtype=object)
    stay_idx = np.argmax(np.stack([em, hb, de], -1), -1)
    go_idx = np.argmax(np.stack([lc, de, ds], -1), -1)
    out = np.where(st, stay_lab[stay_idx], go_lab[go_idx]).astype(object)
    return _label_output(out, template)


#: How customers rate loyalty programmes (course: 垄断型, 节约型, 激励型, 习惯型, 忠实型).
PROGRAMME_VIEWS = MappingProxyType({
    "monopoly": ("垄断型", "No alternative supplier; the programme changes nothing."),
    "saving": ("节约型", "Cares about the money saved; joins every programme and follows the best deal."),
    "incentive": ("激励型", "Buys for the reward; stays while the rewards beat the rivals'."),
    "habitual": ("习惯型", "Buys out of habit; the programme is a pleasant extra."),
    "devoted": ("忠实型", "Prefers the firm anyway; values recognition more than points."),
})


def programme_view(no_alternative, saving, reward, habit, preference):
    """How a customer rates a loyalty programme: the strongest of five 1-5 motives.

    Returns ``"monopoly"``, ``"saving"``, ``"incentive"``, ``"habitual"`` or ``"devoted"``
    (ties go to the first in that order). Scores outside 1-5 raise ValueError.

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
    items = {"no_alternative": no_alternative, "saving": saving, "reward": reward, "habit": habit,
             "preference": preference}
    template = _template(*items.values())
    _check_shapes(**items)
    arrs = np.broadcast_arrays(*[np.asarray(_likert(k, x), dtype=float) for k, x in items.items()])
    idx = np.argmax(np.stack(arrs, -1), -1)
    return _label_output(np.array(list(PROGRAMME_VIEWS), dtype=object)[idx], template)


#: The four levels of loyalty (course), lowest first.
FOUR_LEVELS = ("no loyalty", "satisfied or habitual", "brand preference", "high loyalty")


def loyalty_level(index, cutoffs=(25.0, 50.0, 75.0)):
    """One of the course's four loyalty levels from a 0-100 loyalty index.

    ``index < cutoffs[0]`` -> ``"no loyalty"``; ``< cutoffs[1]`` -> ``"satisfied or
    habitual"``; ``< cutoffs[2]`` -> ``"brand preference"``; otherwise ``"high loyalty"``
    (an index equal to a cut-off goes to the higher level). The default cut-offs split the
    scale into quarters; they are a convention, not a finding.

    Examples
    --------
    >>> loyalty_level([10, 25, 74.9, 75]).tolist()
    ['no loyalty', 'satisfied or habitual', 'brand preference', 'high loyalty']
    """
    template = _template(index)
    x = np.asarray(v.in_range("index", index, 0, 100), dtype=float)
    c = np.asarray(v.in_range("cutoffs", cutoffs, 0, 100), dtype=float)
    if c.shape != (3,) or np.any(np.diff(c) <= 0):
        raise ValueError(f"cutoffs must be three increasing numbers in [0, 100]; got {cutoffs!r}")
    idx = np.searchsorted(c, x, side="right")
    return _label_output(np.array(FOUR_LEVELS, dtype=object)[idx], template)


#: Signs of a loyal customer (course).
LOYAL_SIGNS = ("regular repeat purchase", "buys several of the firm's products", "recommends the firm",
               "immune to rivals' offers", "forgives occasional mistakes")


def loyal_signs(repeat, cross_buy, recommends, immune, forgives):
    """Count how many of the five signs of a loyal customer are present (0-5).

    Each argument is a bool (or array of bools) for one sign in :data:`LOYAL_SIGNS`.

    Examples
    --------
    >>> loyal_signs(True, False, True, True, False)
    3
    """
    items = {"repeat": repeat, "cross_buy": cross_buy, "recommends": recommends, "immune": immune,
             "forgives": forgives}
    arrs = []
    for k, x in items.items():
        a = np.asarray(x)
        if a.dtype != bool:
            raise TypeError(f"{k} must be True/False or an array of booleans; got {x!r}")
        arrs.append(a)
    _check_shapes(**items)
    total = np.sum(np.broadcast_arrays(*arrs), axis=0)
    return int(total) if total.ndim == 0 else total.astype(np.int64)


# --------------------------------------------------------------------------------------
# indices
# --------------------------------------------------------------------------------------

#: The course's five measurement criteria, each scored 1-5 with 5 = most loyal.
CRITERIA = MappingProxyType({
    "repeat_purchases": "number of repeat purchases (5 = many)",
    "choice_time": "time spent choosing (5 = very little: buys without shopping around)",
    "price_sensitivity": "price sensitivity (5 = insensitive: accepts price rises)",
    "competitor_attitude": "attitude to competitors' products (5 = indifferent or negative)",
    "quality_tolerance": "tolerance of quality problems (5 = forgives an occasional incident)",
})

#: Stated default weights (sum 1): repeat buying weighs most, as behaviour is what pays.
DEFAULT_WEIGHTS = MappingProxyType({
    "repeat_purchases": 0.30, "choice_time": 0.15, "price_sensitivity": 0.20,
    "competitor_attitude": 0.20, "quality_tolerance": 0.15,
})


@dataclass(frozen=True)
class LoyaltyCriteria:
    """Scores (1-5, 5 = most loyal) on the five criteria and their weights (sum 1).

    Use :meth:`default` for the example customer of the chapter (the widget's defaults).
    """

    scores: dict = field(default_factory=dict)
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @classmethod
    def default(cls) -> "LoyaltyCriteria":
        """The chapter's example: a regular buyer who still compares prices."""
        return cls(scores={"repeat_purchases": 4, "choice_time": 3, "price_sensitivity": 2,
                           "competitor_attitude": 3, "quality_tolerance": 4},
                   weights=dict(DEFAULT_WEIGHTS))

    def index(self) -> float:
        """The weighted index (0-100) of :func:`criteria_index`."""
        return float(criteria_index(self.scores, self.weights))


def _weights(weights, keys, name="weights"):
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if not hasattr(weights, "keys"):
        raise TypeError(f"{name} must be a dict keyed by {list(keys)}; got {weights!r}")
    missing = [k for k in keys if k not in weights]
    extra = [k for k in weights if k not in keys]
    if missing or extra:
        raise ValueError(f"{name} must have exactly the keys {list(keys)}; missing {missing}, unknown {extra}")
    w = {k: v.in_range(f"{name}[{k!r}]", weights[k], 0, 1) for k in keys}
    total = sum(w.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(f"{name} must sum to 1; got {weights!r}, which sums to {total:.6g}")
    return w


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
        ``competitor_attitude``, ``quality_tolerance``; scalars or equal-length arrays.
    weights : dict, optional
        Same keys, non-negative, summing to 1; default :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The index for each customer (Series indexed like a DataFrame input).

    Raises
    ------
    ValueError
        If a criterion is missing, a score is outside 1-5, or the weights do not sum to 1.

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
    keys = list(CRITERIA)
    if not hasattr(scores, "keys"):
        raise TypeError(f"scores must be a dict or DataFrame keyed by {keys}; got {type(scores).__name__}")
    missing = [k for k in keys if k not in scores.keys()]
    if missing:
        raise ValueError(f"scores is missing criteria {missing}; it needs all of {keys}")
    w = _weights(weights, keys)
    cols = {k: _likert(f"scores[{k!r}]", scores[k]) for k in keys}
    _check_shapes(**cols)
    total = sum(w[k] * (np.asarray(cols[k]) - 1) / 4 for k in keys) * 100
    if isinstance(scores, pd.DataFrame):
        return pd.Series(total, index=scores.index, name="criteria_index")
    return float(total) if np.ndim(total) == 0 else total


#: Satisfaction levels of the quantified index and their scores.
SATISFACTION_LEVELS = MappingProxyType({
    "very satisfied": 1.0, "satisfied": 0.75, "neutral": 0.5, "dissatisfied": 0.25,
    "very dissatisfied": 0.0})
#: Likelihood to recommend and its score.
RECOMMEND_LEVELS = MappingProxyType({"very likely": 1.0, "possible": 0.5, "impossible": 0.0})
_REPURCHASE_BANDS = MappingProxyType({"above 70%": 1.0, "30-70%": 0.5, "below 30%": 0.0})


def repurchase_band(probability):
    """Band of a repurchase probability: ``"above 70%"``, ``"30-70%"`` or ``"below 30%"``.

    "Above 70%" is strict: exactly 0.70 and exactly 0.30 both fall in ``"30-70%"``.

    Examples
    --------
    >>> repurchase_band([0.71, 0.7, 0.3, 0.29]).tolist()
    ['above 70%', '30-70%', '30-70%', 'below 30%']
    """
    template = _template(probability)
    p = np.asarray(v.probability("repurchase_probability", probability), dtype=float)
    out = np.where(p > 0.7, "above 70%", np.where(p >= 0.3, "30-70%", "below 30%")).astype(object)
    return _label_output(out, template)


def _levels(name, value, table):
    template = _template(value)
    arr = np.atleast_1d(np.asarray(value, dtype=object))
    bad = [x for x in arr.ravel() if x not in table]
    if bad:
        raise ValueError(f"{name} must be one of {list(table)}; got {bad[0]!r}")
    return np.array([table[x] for x in arr.ravel()], dtype=float).reshape(arr.shape), template


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
    satisfaction : str or int or array-like
        A key of :data:`SATISFACTION_LEVELS` or an integer 1 (very dissatisfied) .. 5.
    repurchase_probability : float or array-like in [0, 1]
    recommend : str or array-like
        A key of :data:`RECOMMEND_LEVELS`.
    weights : tuple of three floats summing to 1, default equal

    Returns
    -------
    float or numpy.ndarray or pandas.Series

    Raises
    ------
    ValueError
        For an unknown level, a probability outside [0, 1], or weights not summing to 1.

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
    sat = np.asarray(satisfaction, dtype=object)
    if sat.size and all(isinstance(x, (int, np.integer, float, np.floating)) and not isinstance(x, bool)
                        for x in sat.ravel()):
        num = np.asarray(satisfaction, dtype=float)
        if np.any((num < 1) | (num > 5) | (num != np.round(num))):
            raise ValueError(f"satisfaction must be one of {list(SATISFACTION_LEVELS)} or a whole number "
                             f"1-5 (5 = very satisfied); got {satisfaction!r}")
        s_sat = (np.atleast_1d(num) - 1) / 4
        template = _template(satisfaction)
    else:
        s_sat, template = _levels("satisfaction", satisfaction, SATISFACTION_LEVELS)
    band = repurchase_band(repurchase_probability)
    s_rep, _ = _levels("repurchase band", np.asarray(band, dtype=object), _REPURCHASE_BANDS)
    s_rec, _ = _levels("recommend", recommend, RECOMMEND_LEVELS)
    _check_shapes(satisfaction=satisfaction, repurchase_probability=repurchase_probability,
                  recommend=np.asarray(recommend, dtype=object))
    s_sat, s_rep, s_rec = np.broadcast_arrays(s_sat, s_rep, s_rec)
    q = 100 * (w[0] * s_sat + w[1] * s_rep + w[2] * s_rec)
    template = _template(satisfaction, repurchase_probability, recommend)
    if isinstance(template, pd.Series):
        return pd.Series(q.ravel(), index=template.index, name="quantified_index")
    if np.ndim(template) == 0:
        return float(q.ravel()[0])
    return q.reshape(np.shape(template))


# --------------------------------------------------------------------------------------
# behavioural measures from a transaction log
# --------------------------------------------------------------------------------------

_TX_COLUMNS = ("customer_id", "date", "amount")


def _transactions(transactions):
    v.columns("transactions", transactions, _TX_COLUMNS)
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty")
    if not pd.api.types.is_datetime64_any_dtype(transactions["date"]):
        raise TypeError(f"transactions['date'] must be datetime64; got {transactions['date'].dtype}")
    return transactions


def _visits(transactions):
    """One row per customer and purchase day (several orders on one day = one purchase)."""
    tx = _transactions(transactions)
    return (tx.groupby(["customer_id", "date"], sort=True, as_index=False)["amount"].sum())


def purchase_history(transactions, end=None):
    """Per-customer purchase summary from a transaction log (purchases counted by day).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date`` (datetime64) and ``amount`` (US$), e.g.
        :func:`crmlib.datasets.load_cdnow`. Several transactions of a customer on one day
        count as one purchase occasion.
    end : str or Timestamp, optional
        Only purchases strictly before ``end`` are used (e.g. ``"1997-10-01"`` for the
        39-week calibration period).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` with ``purchases`` (occasions), ``repeat_purchases``
        (purchases - 1), ``first``, ``last`` (dates), ``mean_gap_days`` (mean days between
        purchases; NaN with one purchase) and ``spend`` (US$).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [10.0, 5.0, 20.0, 7.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-01-01", "1997-01-11", "1997-02-01"])})
    >>> h = purchase_history(tx)
    >>> h["purchases"].tolist(), h["mean_gap_days"].tolist(), h["spend"].tolist()
    ([2, 1], [10.0, nan], [35.0, 7.0])
    """
    visits = _visits(transactions)
    if end is not None:
        end = pd.Timestamp(end)
        visits = visits[visits["date"] < end]
        if visits.empty:
            raise ValueError(f"end={end.date()} leaves no purchases; the log starts "
                             f"{transactions['date'].min().date()}")
    g = visits.groupby("customer_id")
    out = pd.DataFrame({"purchases": g.size().astype("int64"), "first": g["date"].min(),
                        "last": g["date"].max(), "spend": g["amount"].sum()})
    out.insert(1, "repeat_purchases", out["purchases"] - 1)
    span = (out["last"] - out["first"]).dt.days.astype(float)
    out.insert(4, "mean_gap_days", np.where(out["purchases"] > 1, span / (out["purchases"] - 1).clip(lower=1),
                                            np.nan))
    return out


def repeat_rate(transactions, end=None) -> float:
    """Share of customers with at least two purchase occasions (before ``end`` if given).

    Jacoby & Chestnut's simplest behavioural loyalty measure: did the customer come back?

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
    """
    hist = purchase_history(transactions, end=end)
    return float((hist["purchases"] >= 2).mean())


def inter_purchase_times(transactions) -> pd.Series:
    """All gaps between a customer's consecutive purchase days, in days (int64 Series).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [1.0, 1.0, 1.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-01-08", "1997-02-07"])})
    >>> inter_purchase_times(tx).tolist()
    [7, 30]
    """
    visits = _visits(transactions)
    gaps = visits.groupby("customer_id")["date"].diff().dropna().dt.days.astype("int64")
    return gaps.rename("gap_days").reset_index(drop=True)


def period_share(transactions, start, end, by: str = "purchases") -> pd.Series:
    """Each customer's share of their own purchases (or spend) that fall in ``[start, end)``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount``.
    start, end : str or Timestamp
        The period, ``start`` included, ``end`` excluded.
    by : {"purchases", "spend"}
        Count purchase occasions or sum dollars.

    Returns
    -------
    pandas.Series
        Indexed by ``customer_id``, values in [0, 1].

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 1], "amount": [10.0, 10.0, 10.0, 30.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-02-01", "1997-11-01", "1998-01-01"])})
    >>> period_share(tx, "1997-10-01", "1998-07-01").tolist()
    [0.5]
    >>> period_share(tx, "1997-10-01", "1998-07-01", by="spend").tolist()
    [0.6666666666666666]
    """
    v.one_of("by", by, ["purchases", "spend"])
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if not start < end:
        raise ValueError(f"start must be before end; got start={start.date()}, end={end.date()}")
    visits = _visits(transactions)
    inside = (visits["date"] >= start) & (visits["date"] < end)
    weight = visits["amount"] if by == "spend" else pd.Series(1.0, index=visits.index)
    total = weight.groupby(visits["customer_id"]).sum()
    part = weight.where(inside, 0.0).groupby(visits["customer_id"]).sum()
    share = (part / total.where(total > 0)).fillna(0.0)
    return share.rename(f"share_of_{by}")


def share_of_wallet(spend_with_firm, category_spend):
    """Share of a customer's category spending that goes to the firm (钱包份额), in [0, 1].

    Parameters
    ----------
    spend_with_firm : float or array-like
        What the customer spent with the firm (currency).
    category_spend : float or array-like
        What the customer spent in the whole category, all suppliers (same currency,
        same period); must be positive and at least ``spend_with_firm``.

    Raises
    ------
    ValueError
        If a spend is negative, the category total is not positive, or the firm's share
        exceeds the category total.

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
    s = np.asarray(v.non_negative("spend_with_firm", spend_with_firm), dtype=float)
    c = np.asarray(v.positive("category_spend", category_spend), dtype=float)
    _check_shapes(spend_with_firm=spend_with_firm, category_spend=category_spend)
    if np.any(s > c):
        bad = np.flatnonzero(np.broadcast_to(s > c, np.broadcast(s, c).shape).ravel())[0]
        raise ValueError(f"spend_with_firm must not exceed category_spend; got {np.broadcast_to(s, np.broadcast(s, c).shape).ravel()[bad]!r} "
                         f"> {np.broadcast_to(c, np.broadcast(s, c).shape).ravel()[bad]!r} at position {bad}")
    out = s / c
    if isinstance(spend_with_firm, pd.Series):
        return pd.Series(out, index=spend_with_firm.index, name="share_of_wallet")
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------
# relationship quality -> loyalty
# --------------------------------------------------------------------------------------

#: Scales of the simulated relationship-quality survey and their item columns.
SURVEY_SCALES = MappingProxyType({
    "trust": ("trust_cred1", "trust_cred2", "trust_benev1", "trust_benev2"),
    "satisfaction": ("sat1", "sat2", "sat3"),
    "commitment": ("commit_aff1", "commit_aff2", "commit_cont1"),
    "friendship": ("friend1", "friend2", "friend3"),
    "loyalty": ("loy_repurchase", "loy_recommend", "loy_first_choice"),
})

#: True effects (per SD of each construct) of the four components on latent loyalty.
SURVEY_EFFECTS = MappingProxyType({"trust": 0.30, "satisfaction": 0.35, "commitment": 0.25,
                                   "friendship": 0.10})


def simulate_relationship_survey(n: int, rng, effects=None, factor_correlation: float = 0.4,
                                 loading: float = 0.8, points: int = 7) -> pd.DataFrame:
    r"""Simulate a relationship-quality survey with a known structure.

    Structure (stated so that students can check what the analysis recovers):

    * four standard-normal constructs -- trust, satisfaction, commitment, friendship --
      with equal pairwise correlation ``factor_correlation``;
    * latent loyalty :math:`\eta = \sum_k \beta_k \xi_k + \zeta`, with :math:`\beta_k` =
      ``effects`` (default :data:`SURVEY_EFFECTS`) and :math:`\zeta` normal, scaled so
      that :math:`\operatorname{Var}(\eta) = 1`;
    * every item :math:`x = \lambda \xi + \sqrt{1-\lambda^2}\,\varepsilon` (λ = ``loading``),
      cut into ``points`` equal-probability-free categories: ``round(4 + 1.5 x)`` clipped
      to 1..``points`` (for 7 points);
    * ``loyalty_stage``: an ordinal 1-5 answer, latent loyalty cut at -1.2, -0.4, 0.4, 1.2.

    Items per scale are listed in :data:`SURVEY_SCALES` (trust has two credibility and two
    benevolence items; commitment two affective and one continuance item).

    Parameters
    ----------
    n : int
        Number of respondents (at least 20).
    rng : numpy.random.Generator
    effects : dict, optional
        Standardised effects of the four constructs on latent loyalty.
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
    >>> df = simulate_relationship_survey(200, np.random.default_rng(1))
    >>> df.shape
    (200, 17)
    """
    n = v.integer("n", n, minimum=20)
    v.rng("rng", rng)
    eff = dict(SURVEY_EFFECTS) if effects is None else effects
    comps = ["trust", "satisfaction", "commitment", "friendship"]
    if not hasattr(eff, "keys") or sorted(eff) != sorted(comps):
        raise ValueError(f"effects must be a dict with keys {comps}; got {effects!r}")
    beta = np.array([v.as_float(f"effects[{k!r}]", eff[k]) for k in comps])
    rho = v.in_range("factor_correlation", factor_correlation, 0, 0.9)
    lam = v.in_range("loading", loading, 0, 1, low_open=True, high_open=True)
    points = v.integer("points", points, minimum=5)
    v.in_range("points", points, 5, 11)
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
            x = lam * factors[scale] + np.sqrt(1 - lam ** 2) * rng.standard_normal(n)
            data[item] = np.clip(np.round(centre + spread * x), 1, points).astype("int64")
    data["loyalty_stage"] = (np.searchsorted([-1.2, -0.4, 0.4, 1.2], eta) + 1).astype("int64")
    return pd.DataFrame(data)


def cronbach_alpha(items) -> float:
    r"""Cronbach's alpha of a scale: internal-consistency reliability of its items.

    .. math:: \alpha = \frac{k}{k-1}\left(1 - \frac{\sum_{i=1}^k s_i^2}{s_T^2}\right),

    with *k* items, item variances :math:`s_i^2` and the variance :math:`s_T^2` of the
    sum score (sample variances, ``ddof=1``).

    Parameters
    ----------
    items : pandas.DataFrame or 2-D array-like
        Respondents in rows, the scale's items in columns (at least 2 items and 2
        respondents). Missing answers are not allowed: drop or impute them first.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        With fewer than two items or respondents, missing values, or a constant sum score.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]), 4)
    0.9825
    """
    arr = np.asarray(items, dtype=float) if not isinstance(items, pd.DataFrame) else items.to_numpy(dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"items must be 2-D (respondents x items); got shape {arr.shape}")
    n, k = arr.shape
    if k < 2 or n < 2:
        raise ValueError(f"items must have at least 2 respondents and 2 items; got shape {arr.shape}")
    if np.isnan(arr).any():
        r, c = np.argwhere(np.isnan(arr))[0]
        col = items.columns[c] if isinstance(items, pd.DataFrame) else c
        raise ValueError(f"items has missing answers (first at row {r}, item {col!r}); "
                         "drop or impute them before computing alpha")
    v.as_float("items", arr)
    total_var = arr.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise ValueError("items give a constant sum score; alpha is undefined")
    return float(k / (k - 1) * (1 - arr.var(axis=0, ddof=1).sum() / total_var))


def scale_scores(survey: pd.DataFrame, scales=None) -> pd.DataFrame:
    """Mean of each scale's items per respondent (columns named after the scales).

    Examples
    --------
    >>> df = pd.DataFrame({"a1": [1, 3], "a2": [3, 5]})
    >>> scale_scores(df, {"a": ("a1", "a2")})["a"].tolist()
    [2.0, 4.0]
    """
    scales = dict(SURVEY_SCALES) if scales is None else dict(scales)
    for name, cols in scales.items():
        v.columns("survey", survey, list(cols))
    return pd.DataFrame({name: survey[list(cols)].mean(axis=1) for name, cols in scales.items()})


@dataclass(frozen=True)
class RelationshipQualityResult:
    """Fitted relationship-quality -> loyalty model (immutable).

    Attributes
    ----------
    model : str
        ``"ols"`` or ``"ordered_logit"``.
    outcome : str
    params : pandas.Series
        Raw coefficients (per scale point; thresholds for the ordered logit are included
        with names like ``"1/2"``).
    bse, pvalues : pandas.Series
        Standard errors and p-values of ``params``.
    standardised : pandas.Series
        Effect of a one-SD change in each predictor: in SDs of the outcome (OLS, beta
        weights) or in log-odds of a higher loyalty stage (ordered logit).
    alphas : pandas.Series
        Cronbach's alpha of each scale used.
    nobs : int
    fit_stat : float
        R^2 (OLS) or McFadden pseudo-R^2 (ordered logit).
    """

    model: str
    outcome: str
    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series
    standardised: pd.Series
    alphas: pd.Series
    nobs: int
    fit_stat: float

    def summary(self) -> pd.DataFrame:
        """Table of the predictors: coefficient, SE, p-value, standardised effect, alpha."""
        names = list(self.standardised.index)
        return pd.DataFrame({"coef": self.params[names], "std err": self.bse[names],
                             "p-value": self.pvalues[names], "standardised": self.standardised,
                             "alpha": self.alphas.reindex(names)}).round(3)

    def __repr__(self) -> str:
        stat = "R^2" if self.model == "ols" else "pseudo R^2"
        effects = ", ".join(f"{k}={val:.3f}" for k, val in self.standardised.items())
        return (f"RelationshipQualityResult(model={self.model!r}, outcome={self.outcome!r}, "
                f"nobs={self.nobs}, {stat}={self.fit_stat:.3f}, standardised: {effects})")

    def _repr_html_(self) -> str:
        return f"<p>{self.__repr__()}</p>" + self.summary().to_html()


def fit_relationship_quality(survey: pd.DataFrame, model: str = "ols", scales=None,
                             outcome: str | None = None) -> RelationshipQualityResult:
    """Regress loyalty on the four relationship-quality scales (OLS or ordered logit).

    Scale scores are item means (:func:`scale_scores`). ``model="ols"`` regresses the
    loyalty *scale score* on the four components; ``model="ordered_logit"`` models the
    ordinal ``loyalty_stage`` (1-5) with statsmodels' ``OrderedModel`` (logit link).
    Standardised effects: OLS slopes times SD(x)/SD(y) (beta weights); ordered-logit
    slopes times SD(x) (change in log-odds of a higher stage per SD of the component).

    Parameters
    ----------
    survey : pandas.DataFrame
        Items of :data:`SURVEY_SCALES` (and ``loyalty_stage`` for the ordered logit).
    model : {"ols", "ordered_logit"}
    scales : dict, optional
        Scale -> item columns; must include ``"loyalty"`` for OLS. Default
        :data:`SURVEY_SCALES`.
    outcome : str, optional
        Outcome column; default ``"loyalty"`` (OLS) or ``"loyalty_stage"`` (ordered logit).

    Returns
    -------
    RelationshipQualityResult

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B*, 42(2), 109-142.
    Hennig-Thurau, Gwinner & Gremler (2002), *Journal of Service Research* 4(3).

    Examples
    --------
    >>> df = simulate_relationship_survey(300, np.random.default_rng(3))
    >>> res = fit_relationship_quality(df)
    >>> res.model, res.nobs
    ('ols', 300)
    """
    import statsmodels.api as sm

    v.one_of("model", model, ["ols", "ordered_logit"])
    scales = dict(SURVEY_SCALES) if scales is None else dict(scales)
    scores = scale_scores(survey, scales)
    alphas = pd.Series({k: cronbach_alpha(survey[list(c)]) for k, c in scales.items()}, name="alpha")
    predictors = [k for k in scales if k != "loyalty"]
    X = scores[predictors]
    if model == "ols":
        outcome = outcome or "loyalty"
        if outcome in scores:
            y = scores[outcome]
        else:
            v.columns("survey", survey, [outcome])
            y = survey[outcome].astype(float)
        fit = sm.OLS(y.to_numpy(), sm.add_constant(X.to_numpy())).fit()
        names = ["const", *predictors]
        params = pd.Series(fit.params, index=names)
        bse, pvalues = pd.Series(fit.bse, index=names), pd.Series(fit.pvalues, index=names)
        std = params[predictors] * X.std(ddof=1) / y.std(ddof=1)
        stat = float(fit.rsquared)
    else:
        from statsmodels.miscmodels.ordinal_model import OrderedModel

        outcome = outcome or "loyalty_stage"
        v.columns("survey", survey, [outcome])
        y = survey[outcome]
        levels = np.sort(y.unique())
        if len(levels) < 3:
            raise ValueError(f"survey[{outcome!r}] needs at least 3 ordered levels; got {levels.tolist()}")
        yc = pd.Series(pd.Categorical(y, categories=levels, ordered=True), index=y.index)
        fit = OrderedModel(yc, X, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
        names = [*predictors, *[f"{a}/{b}" for a, b in zip(levels[:-1], levels[1:])]]
        params = pd.Series(np.asarray(fit.params), index=names)
        bse = pd.Series(np.asarray(fit.bse), index=names)
        pvalues = pd.Series(np.asarray(fit.pvalues), index=names)
        std = params[predictors] * X.std(ddof=1)
        stat = float(fit.prsquared)
    return RelationshipQualityResult(model=model, outcome=outcome, params=params, bse=bse, pvalues=pvalues,
                                     standardised=std.rename("standardised"), alphas=alphas,
                                     nobs=int(len(X)), fit_stat=stat)


# --------------------------------------------------------------------------------------
# economics of loyalty
# --------------------------------------------------------------------------------------

#: Ratios quoted in the course material by industry. The slide does not say of what.
INDUSTRY_RATIOS = MappingProxyType({"retail": 16.0, "restaurants": 13.0, "airlines": 12.0, "hotels": 5.0})


def max_value_ratio(discount_rate):
    r"""Largest possible ratio of a customer's lifetime value to one period's margin.

    With margin *m* per period, retention *r* and discount rate *d*, the lifetime value
    counted from today's purchase is :math:`m(1+d)/(1+d-r)`; as :math:`r \to 1` it tends
    to :math:`m(1+d)/d`. So no customer can be worth more than :math:`(1+d)/d` periods'
    margins.

    References
    ----------
    Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
    Marketing*, 17(1), 9-24 (the margin multiple).

    Examples
    --------
    >>> round(max_value_ratio(0.10), 2)
    11.0
    """
    d = v.positive("discount_rate", discount_rate, unit="per period")
    return (1 + d) / d


def implied_retention(ratio, discount_rate):
    r"""Retention per period needed for a lifetime value of ``ratio`` times one period's margin.

    Solves :math:`(1+d)/(1+d-r) = R` for :math:`r = (1+d)(1 - 1/R)`. Returns NaN where
    the ratio is unreachable (:math:`r \ge 1`, i.e. :math:`R \ge (1+d)/d`).

    Parameters
    ----------
    ratio : float or array-like, >= 1
    discount_rate : float, > 0, per period (the period of one purchase cycle)

    Examples
    --------
    >>> round(implied_retention(5, 0.10), 3)
    0.88
    >>> bool(np.isnan(implied_retention(16, 0.10)))
    True
    """
    R = v.in_range("ratio", ratio, 1, None)
    d = v.positive("discount_rate", discount_rate, unit="per period")
    r = (1 + d) * (1 - 1 / np.asarray(R, dtype=float))
    r = np.where(r < 1, r, np.nan)
    return float(r) if r.ndim == 0 else r


def loyal_value_ratio(transactions, min_purchases: int = 2, end=None) -> float:
    """Mean spend of repeat customers divided by mean spend of one-purchase customers.

    One reading of the course's industry ratios ("a loyal customer is worth N times a
    one-off customer"), computed on a real purchase log. Repeat customers are those with
    at least ``min_purchases`` purchase occasions (before ``end`` if given).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 10.0],
    ...                    "date": pd.to_datetime(["1997-01-01", "1997-02-01", "1997-01-05"])})
    >>> loyal_value_ratio(tx)
    4.0
    """
    k = v.integer("min_purchases", min_purchases, minimum=2)
    hist = purchase_history(transactions, end=end)
    loyal, once = hist.loc[hist["purchases"] >= k, "spend"], hist.loc[hist["purchases"] == 1, "spend"]
    if loyal.empty or once.empty or once.mean() == 0:
        raise ValueError(f"transactions need customers with 1 purchase and with >= {k} purchases "
                         f"(got {len(once)} and {len(loyal)})")
    return float(loyal.mean() / once.mean())


def loyal_customer_profit(years: int = 7, base_profit: float = 20.0, acquisition_cost: float = 50.0,
                          spend_growth: float = 6.0, cost_saving: float = 3.0, referrals: float = 4.0,
                          price_premium: float = 2.0) -> pd.DataFrame:
    """Profit from one customer by year of the relationship, split into its sources.

    Reichheld & Sasser's decomposition: a base profit each year, growing spend (more
    purchases, more products), lower operating costs (the customer knows the firm, needs
    less service), referrals and a price premium, all growing linearly with the year;
    minus the acquisition cost in year 0. All amounts are per customer per year in
    currency units and are **assumptions to vary**, not data.

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
    years = v.integer("years", years, minimum=1)
    vals = {k: v.non_negative(k, x) for k, x in dict(base_profit=base_profit, acquisition_cost=acquisition_cost,
                                                     spend_growth=spend_growth, cost_saving=cost_saving,
                                                     referrals=referrals, price_premium=price_premium).items()}
    t = np.arange(years + 1, dtype=float)
    active = (t >= 1).astype(float)
    grow = np.maximum(t - 1, 0)
    df = pd.DataFrame({
        "acquisition": np.where(t == 0, -vals["acquisition_cost"], 0.0),
        "base": vals["base_profit"] * active,
        "spend_growth": vals["spend_growth"] * grow,
        "cost_saving": vals["cost_saving"] * grow,
        "referrals": vals["referrals"] * grow,
        "price_premium": vals["price_premium"] * grow,
    }, index=pd.RangeIndex(years + 1, name="year"))
    df["total"] = df.sum(axis=1)
    df["cumulative"] = df["total"].cumsum()
    return df


def customer_delivered_value(product, service, personnel, image, money, time, energy, psychic):
    """Kotler's customer delivered value (客户让渡价值): total value minus total cost.

    Total customer value = product + service + personnel + image value; total customer
    cost = monetary + time + energy + psychic cost (all in the same currency units).
    Returns ``(delivered value, value/cost ratio)``.

    References
    ----------
    Kotler, P. (2000). *Marketing Management* (millennium ed.). Prentice Hall, ch. 2.

    Examples
    --------
    >>> customer_delivered_value(60, 20, 10, 10, 50, 10, 5, 5)
    (30.0, 1.4285714285714286)
    """
    val = {k: v.non_negative(k, x) for k, x in dict(product=product, service=service, personnel=personnel,
                                                    image=image).items()}
    cost = {k: v.non_negative(k, x) for k, x in dict(money=money, time=time, energy=energy,
                                                     psychic=psychic).items()}
    tv, tc = sum(val.values()), sum(cost.values())
    if np.any(np.asarray(tc) == 0):
        raise ValueError("money, time, energy and psychic costs must not all be 0 (the ratio needs a cost)")
    return tv - tc, tv / tc


def benefit_type(involvement, cutoff: float = 4):
    """Hard (discounts, points) or soft (recognition, service) benefits by involvement, 1-5.

    Low-involvement customers (below ``cutoff``) value ``"hard"`` benefits; high-
    involvement ones (at or above) value ``"soft"`` benefits (the course's example: the
    VIP floor at Beijing airport).

    Examples
    --------
    >>> benefit_type([2, 4]).tolist()
    ['hard', 'soft']
    """
    template = _template(involvement)
    x = np.asarray(_likert("involvement", involvement), dtype=float)
    v.in_range("cutoff", cutoff, LIKERT_MIN, LIKERT_MAX)
    return _label_output(np.where(x >= cutoff, "soft", "hard").astype(object), template)


def reward_points(spend, category, base_rate: float = 1.0, bonus=None):
    """Points earned on purchases: ``base_rate`` per currency unit, times a category bonus.

    The course's American Express example: points at partner merchants, double points at
    petrol stations and supermarkets (``bonus={"petrol": 2, "supermarket": 2}``, the
    default).

    Examples
    --------
    >>> reward_points([100, 50, 20], ["petrol", "other", "supermarket"]).tolist()
    [200.0, 50.0, 40.0]
    """
    s = np.asarray(v.non_negative("spend", spend), dtype=float)
    v.non_negative("base_rate", base_rate)
    bonus = {"petrol": 2.0, "supermarket": 2.0} if bonus is None else dict(bonus)
    cats = np.atleast_1d(np.asarray(category, dtype=object))
    if cats.shape != np.atleast_1d(s).shape:
        raise ValueError(f"spend and category must have the same length; got {np.atleast_1d(s).shape} and {cats.shape}")
    mult = np.array([float(bonus.get(c, 1.0)) for c in cats])
    out = np.atleast_1d(s) * base_rate * mult
    return float(out[0]) if np.ndim(spend) == 0 else out


#: Ten principles for raising loyalty (course, in our words).
TEN_PRINCIPLES = (
    "control product quality and price", "know the product thoroughly", "know the customer",
    "give better service", "raise satisfaction", "exceed expectations", "personalise",
    "handle problems and complaints well", "make buying simple", "serve the internal customers (staff)",
)


# --------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------


def plot_loyalty_grid(relative_attitude=None, repeat_patronage=None, attitude_cutoff: float = 0.5,
                      patronage_cutoff: float = 0.5, scheme: str = "dick_basu", labels=None, ax=None):
    """Draw the attitude x patronage grid with its four classes and customers as dots.

    Parameters
    ----------
    relative_attitude, repeat_patronage : float or array-like in [0, 1], optional
        Customers to plot (x = repeat patronage, y = relative attitude).
    attitude_cutoff, patronage_cutoff : float
    scheme : {"dick_basu", "griffin"}
    labels : list of str, optional
        Text next to each dot.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from .plotting import PALETTE

    v.one_of("scheme", scheme, ["dick_basu", "griffin"])
    table = DICK_BASU_CLASSES if scheme == "dick_basu" else GRIFFIN_CLASSES
    ac = v.in_range("attitude_cutoff", attitude_cutoff, 0, 1)
    pc = v.in_range("patronage_cutoff", patronage_cutoff, 0, 1)
    ax = ax if ax is not None else plt.subplots()[1]
    cells = {(True, True): (pc, 1, ac, 1), (True, False): (0, pc, ac, 1),
             (False, True): (pc, 1, 0, ac), (False, False): (0, pc, 0, ac)}
    colours = {(True, True): PALETTE[2], (True, False): PALETTE[5], (False, True): PALETTE[4],
               (False, False): "#BBBBBB"}
    for key, (x0, x1, y0, y1) in cells.items():
        ax.fill_between([x0, x1], y0, y1, color=colours[key], alpha=0.25, lw=0)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, table[key], ha="center", va="center", fontsize=10, alpha=0.8)
    ax.axvline(pc, color="0.4", lw=1)
    ax.axhline(ac, color="0.4", lw=1)
    if relative_attitude is not None:
        a = np.atleast_1d(v.in_range("relative_attitude", relative_attitude, 0, 1))
        p = np.atleast_1d(v.in_range("repeat_patronage", repeat_patronage, 0, 1))
        ax.scatter(p, a, s=60, color=PALETTE[1], zorder=3, edgecolor="k")
        for i, text in enumerate(labels or []):
            ax.annotate(text, (p[i], a[i]), xytext=(5, 5), textcoords="offset points", fontsize=9)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="repeat patronage 重复购买 (share of purchases, 0-1)",
           ylabel="relative attitude 相对态度 (0-1)",
           title="Dick & Basu (1994)" if scheme == "dick_basu" else "Griffin (2002)")
    return ax


def plot_seven_types(ax=None):
    """Place the course's seven types in the attachment x repeat-purchase grid.

    Each type goes in the cell of its profile in :data:`SEVEN_TYPES`: four types share the
    low-attachment, high-repeat cell (told apart by their driver); price loyalty shares the
    low-low cell with no loyalty. Returns the axis.
    """
    import matplotlib.pyplot as plt

    from .plotting import PALETTE

    ax = ax if ax is not None else plt.subplots()[1]
    ax.axvline(0.5, color="0.4", lw=1)
    ax.axhline(0.5, color="0.4", lw=1)
    low_high = [t for t in SEVEN_TYPES if (t.attachment, t.repeat) == ("low", "high")]
    for i, t in enumerate(low_high):
        ax.text(0.75, 0.08 + i * 0.1, f"{t.name} {t.chinese}: {t.driver}", ha="center", fontsize=9,
                color=PALETTE[i % len(PALETTE)])
    for t in SEVEN_TYPES:
        if t.attachment == "high":
            x = 0.75 if t.repeat == "high" else 0.25
            ax.text(x, 0.75, f"{t.name}\n{t.chinese}\n({t.driver})", ha="center", va="center", fontsize=10)
        elif t.repeat == "low":
            ax.text(0.25, 0.32, f"{t.name}\n{t.chinese}\n({t.driver})", ha="center", va="center", fontsize=10)
    ax.text(0.25, 0.12, "no loyalty\n无忠诚度", ha="center", va="center", fontsize=10, color="0.4")
    ax.set(xlim=(0, 1), ylim=(0, 1), xticks=[0.25, 0.75], yticks=[0.25, 0.75],
           xticklabels=["low", "high"], yticklabels=["low", "high"],
           xlabel="repeat purchase 重复购买 (level)", ylabel="attachment 依恋 (level)",
           title="The seven loyalty types")
    ax.grid(False)
    return ax


def plot_inter_purchase_times(gaps, bins=None, ax=None):
    """Histogram of inter-purchase times (days), with the median marked."""
    import matplotlib.pyplot as plt

    g = np.asarray(v.non_negative("gaps", gaps), dtype=float)
    ax = ax if ax is not None else plt.subplots()[1]
    bins = np.arange(0, g.max() + 15, 14) if bins is None else bins
    ax.hist(g, bins=bins, alpha=0.8)
    med = float(np.median(g))
    ax.axvline(med, color="k", ls="--", lw=1, label=f"median {med:.0f} days")
    ax.set(xlabel="days between purchases (days)", ylabel="number of gaps", title="Inter-purchase times")
    ax.legend()
    return ax


def plot_standardised_effects(*results, ax=None):
    """Bar chart of standardised effects of the four components for one or more fits."""
    import matplotlib.pyplot as plt

    ax = ax if ax is not None else plt.subplots()[1]
    if not results or not all(isinstance(r, RelationshipQualityResult) for r in results):
        raise TypeError("results must be RelationshipQualityResult objects from fit_relationship_quality")
    names = list(results[0].standardised.index)
    width = 0.8 / len(results)
    x = np.arange(len(names))
    for i, r in enumerate(results):
        unit = "SD of loyalty score" if r.model == "ols" else "log-odds"
        ax.bar(x + i * width, r.standardised[names].to_numpy(), width, label=f"{r.model} ({unit})")
    ax.set_xticks(x + width * (len(results) - 1) / 2, names)
    ax.set(ylabel="effect per SD of the component", title="Relationship quality -> loyalty")
    ax.legend()
    return ax


def plot_index_contributions(scores, weights=None, ax=None):
    """Horizontal bars: each criterion's contribution (index points) to :func:`criteria_index`."""
    import matplotlib.pyplot as plt

    w = _weights(weights, list(CRITERIA))
    total = criteria_index(scores, w)
    if np.ndim(total) != 0:
        raise ValueError("plot_index_contributions draws one customer; give scalar scores")
    contrib = {k: 100 * w[k] * (float(scores[k]) - 1) / 4 for k in CRITERIA}
    possible = {k: 100 * w[k] for k in CRITERIA}
    ax = ax if ax is not None else plt.subplots()[1]
    y = np.arange(len(contrib))
    ax.barh(y, list(possible.values()), color="0.85", label="maximum (weight x 100)")
    ax.barh(y, list(contrib.values()), label="this customer")
    ax.set_yticks(y, list(contrib))
    ax.invert_yaxis()
    ax.set(xlabel="contribution to the index (index points, 0-100)",
           title=f"Loyalty index = {total:.1f}")
    ax.legend(loc="lower right")
    return ax
