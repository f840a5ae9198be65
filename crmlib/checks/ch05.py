"""Chapter 5 (the psychology of waiting): the registry of ``exercises/05_psychology_of_waiting.ipynb``.

Every reference is computed with :mod:`crmlib.waiting` from the inputs the prompts give (the bank's
call data come from :func:`crmlib.datasets.load_bank_calls`, no random draws); the slips compute
what a student who made that mistake would get from the same inputs. Times are in minutes and rates
per minute, as in the notebook. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

import math
from functools import cache

from .. import datasets, waiting
from ..i18n import N_
from .registry import Exercise, Slip

# The bank's call centre of Exercises 5.2, 5.3 and 5.5: 200 calls an hour, 3-minute calls, 12 agents,
# the "80/20" target (80% of callers answered within 20 seconds).
CALL_CENTRE = {
    "calls_per_hour": 200.0,
    "handle_time": 3.0,
    "agents": 12,
    "target_seconds": 20.0,
    "target_level": 0.80,
}

# The convention hotel of Exercise 5.6: 90 guests an hour, 4-minute check-ins, 90% within 5 minutes.
HOTEL = {"guests_per_hour": 90.0, "handle_time": 4.0, "target_minutes": 5.0, "target_level": 0.90}

#: The managed wait of Exercise 5.5b.
MANAGED = {"occupied": True, "known": True, "explained": True}


# ----------------------------------------------------------------------------- helpers
def _lam(g) -> float:
    """Calls per minute."""
    return g.calls_per_hour / 60


def _mu(g) -> float:
    """Calls one agent handles per minute."""
    return 1 / g.handle_time


def _target(g) -> float:
    """The target time in minutes."""
    return g.target_seconds / 60


def _level(g, agents=None, target=None) -> float:
    c = g.agents if agents is None else agents
    t = _target(g) if target is None else target
    return float(waiting.service_level(_lam(g), _mu(g), c, t))


def _wait(g, agents=None) -> float:
    """Mean wait in the queue, minutes."""
    return float(waiting.mean_wait(_lam(g), _mu(g), g.agents if agents is None else agents))


def _staff(g, target=None) -> int:
    t = _target(g) if target is None else target
    return int(waiting.required_servers(_lam(g), _mu(g), t, g.target_level))


def _load(g) -> float:
    return _lam(g) * g.handle_time


def _erlang_c_by_hand(lam, mu, c, *, terms=None, queue_factor=True, rho=None) -> float:
    """The Erlang C formula written out, with the slips students make (for any inputs)."""
    load = lam / mu
    rho = load / c if rho is None else rho
    top = load**c / math.factorial(c) * (1 / (1 - rho) if queue_factor else 1.0)
    bottom = sum(load**k / math.factorial(k) for k in range(c if terms is None else terms)) + top
    return top / bottom


@cache
def _bank_day() -> dict:
    """Exercise 5.4: the bank's average day, 5-minute intervals, 4-minute calls, 80/20."""
    profile = waiting.arrival_profile(datasets.load_bank_calls())
    return {
        "per_interval": profile["mean"],
        "interval_minutes": 5,
        "handle_time": 4.0,
        "target_seconds": 20.0,
        "target_level": 0.80,
    }


def _day_rates(g):
    return g.per_interval / g.interval_minutes


def _plan(g, rates=None, target=None):
    rates = _day_rates(g) if rates is None else rates
    t = g.target_seconds / 60 if target is None else target
    return waiting.staffing_plan(rates, 1 / g.handle_time, t, g.target_level)


def _hours(g, agent_intervals) -> float:
    return float(agent_intervals) * g.interval_minutes / 60


def _perceived(g, agents, **experience) -> float:
    return float(waiting.perceived_wait(_wait(g, agents), waiting.WaitExperience(**experience)))


def _hotel_desks(g, arrival_rate=None, service_rate=None, target=None, level=None) -> int:
    return int(
        waiting.required_servers(
            g.guests_per_hour / 60 if arrival_rate is None else arrival_rate,
            1 / g.handle_time if service_rate is None else service_rate,
            g.target_minutes if target is None else target,
            g.target_level if level is None else level,
        )
    )


_FRACTION = N_("that is a percentage; the exercise asks for a fraction (0.64 for 64%).")
_CLOCK = N_("that is the clock wait; multiply it by the perception factor of the wait design.")
_PERCEIVED_SECONDS = N_("that is in seconds; the exercise asks for perceived minutes.")

EXERCISES = [
    # ------------------------------------------------------------------ 5.1 Erlang C by hand
    Exercise(
        "5.1",
        "function",
        variable="prob_wait",
        unit=N_("probability"),
        reference=lambda lam, mu, c: float(waiting.erlang_c(lam, mu, c)),
        cases=[(0.9, 1.0, 1), (2.5, 1.0, 4), (200 / 60, 1 / 3, 11), (200 / 60, 1 / 3, 14)],
        slips=[
            Slip(
                "off-by-one",
                N_("the sum in the denominator runs over k = 0 ... c-1 (range(servers)), not up to c."),
                lambda lam, mu, c: _erlang_c_by_hand(lam, mu, c, terms=c + 1),
            ),
            Slip(
                "other",
                N_(
                    "that is Erlang B (calls blocked, no queue): the term A^c / c! is multiplied by 1 / (1 - rho) "
                    "in the numerator and in the denominator."
                ),
                lambda lam, mu, c: _erlang_c_by_hand(lam, mu, c, queue_factor=False),
            ),
            Slip(
                "complement",
                N_(
                    "that is the probability of being answered at once; the function returns the probability of waiting."
                ),
                lambda lam, mu, c: 1 - _erlang_c_by_hand(lam, mu, c),
            ),
            Slip(
                "other",
                N_("the utilisation rho is the load per agent, A / c, not the load A itself."),
                lambda lam, mu, c: _erlang_c_by_hand(lam, mu, c, rho=lam / mu),
            ),
        ],
        explanation=N_(
            "C(c, A) is the share of time all c agents are busy, which in M/M/c is the chance that an "
            "arriving caller waits; with one agent it equals the utilisation rho."
        ),
    ),
    # ------------------------------------------------------------------ 5.2 Service level and average wait
    Exercise(
        "5.2a",
        "number",
        variable="answer_5_2a",
        unit=N_("fraction of callers"),
        low=0,
        high=1,
        given=CALL_CENTRE,
        reference=_level,
        slips=[
            Slip(
                "units",
                N_("the target time must be in minutes, like the rates: 20 seconds is 20 / 60 minute."),
                lambda g: _level(g, target=g.target_seconds),
            ),
            Slip("percent", _FRACTION, lambda g: 100 * _level(g)),
            Slip(
                "complement",
                N_(
                    "that is the share of callers who wait longer than 20 seconds; the service level is the share "
                    "answered within 20 seconds."
                ),
                lambda g: 1 - _level(g),
            ),
            Slip(
                "other",
                N_(
                    "that is the share answered at once, without any wait (1 - Erlang C); the service level also "
                    "counts those who wait up to 20 seconds."
                ),
                lambda g: 1 - float(waiting.erlang_c(_lam(g), _mu(g), g.agents)),
            ),
        ],
        explanation=N_(
            "The service level is P(wait <= t) = 1 - C(c, A) e^(-(c mu - lambda) t): 12 agents at "
            "10 Erlangs run at rho = 0.83, well short of the 80/20 target."
        ),
    ),
    Exercise(
        "5.2b",
        "number",
        variable="answer_5_2b",
        unit=N_("seconds"),
        low=0,
        given=CALL_CENTRE,
        reference=lambda g: 60 * _wait(g),
        slips=[
            Slip(
                "units",
                N_("that is the mean wait in minutes; the exercise asks for seconds (a minute has 60)."),
                _wait,
            ),
            Slip(
                "other",
                N_(
                    "that is the mean time in the system (wait plus the 3-minute call); the speed of answer is the "
                    "wait in the queue only."
                ),
                lambda g: 60 * (_wait(g) + g.handle_time),
            ),
            Slip(
                "other",
                N_(
                    "that is the mean wait of the callers who wait; the average speed of answer averages over all "
                    "callers, those answered at once included (multiply by Erlang C)."
                ),
                lambda g: 60 * _wait(g) / float(waiting.erlang_c(_lam(g), _mu(g), g.agents)),
            ),
        ],
        explanation=N_("W_q = C(c, A) / (c mu - lambda): the chance of waiting times the mean wait of those who wait."),
    ),
    # ------------------------------------------------------------------ 5.3 Staff for a target
    Exercise(
        "5.3",
        "number",
        variable="answer_5_3",
        unit=N_("agents"),
        integer=True,
        rel_tol=0,
        low=1,
        given=CALL_CENTRE,
        reference=_staff,
        slips=[
            Slip(
                "other",
                N_(
                    "that is the offered load itself: with as many agents as Erlangs the utilisation is 1, there is "
                    "no spare capacity and the queue grows without bound."
                ),
                _load,
            ),
            Slip(
                "other",
                N_(
                    "that many agents only keep the queue stable (utilisation below 1), and it is also what a target "
                    "time of 20 (minutes, not 20 / 60) asks; add agents until 80% of callers are answered within "
                    "20 seconds."
                ),
                lambda g: math.floor(_load(g)) + 1,
            ),
            Slip(
                "off-by-one",
                N_(
                    "with that many agents the service level is still below 80%: the answer is the smallest staffing "
                    "that reaches the target."
                ),
                lambda g: _staff(g) - 1,
            ),
            Slip(
                "off-by-one",
                N_(
                    "that many agents beat the target, but so does one fewer: the answer is the smallest staffing "
                    "that reaches 80%."
                ),
                lambda g: _staff(g) + 1,
            ),
        ],
        explanation=N_(
            "Add agents until the service level reaches 80%: near rho = 1 each extra agent removes a lot "
            "of waiting, so two more than in 5.2 move it from about 64% to about 89%."
        ),
    ),
    # ------------------------------------------------------------------ 5.4 Staffing the bank's real day
    Exercise(
        "5.4a",
        "number",
        variable="answer_5_4a",
        unit=N_("calls per minute"),
        low=0,
        given=_bank_day,
        reference=lambda g: float(_day_rates(g).max()),
        slips=[
            Slip(
                "units",
                N_("that is calls per 5-minute interval; divide by 5 for calls per minute."),
                lambda g: float(g.per_interval.max()),
            ),
            Slip(
                "units",
                N_("that is calls per hour; the exercise asks for calls per minute."),
                lambda g: 60 * float(_day_rates(g).max()),
            ),
            Slip(
                "other",
                N_("that is the average interval of the day; the question asks for the busiest one (the maximum)."),
                lambda g: float(_day_rates(g).mean()),
            ),
        ],
        explanation=N_(
            "The busiest interval's mean count over 5 minutes, divided by 5: the rate the queueing "
            "formulas take, per minute like the handle time."
        ),
    ),
    Exercise(
        "5.4b",
        "number",
        variable="answer_5_4b",
        unit=N_("agents"),
        integer=True,
        rel_tol=0,
        low=1,
        given=_bank_day,
        reference=lambda g: int(_plan(g)["servers"].max()),
        slips=[
            Slip(
                "units",
                N_(
                    "that staffs for the calls of a whole 5-minute interval arriving every minute: convert the "
                    "counts to calls per minute (divide by 5) first."
                ),
                lambda g: int(_plan(g, rates=g.per_interval)["servers"].max()),
            ),
            Slip(
                "units",
                N_("the target time must be in minutes, like the rates: 20 seconds is 20 / 60 minute."),
                lambda g: int(_plan(g, target=g.target_seconds)["servers"].max()),
            ),
        ],
        explanation=N_(
            "Each interval is staffed as its own M/M/c queue for the 80/20 target; the busiest interval "
            "needs the most agents."
        ),
    ),
    Exercise(
        "5.4c",
        "number",
        variable="answer_5_4c",
        unit=N_("agent-hours"),
        low=0,
        given=_bank_day,
        reference=lambda g: _hours(g, _plan(g)["servers"].sum()),
        slips=[
            Slip(
                "units",
                N_("that is agent-intervals: each interval lasts 5 minutes, so multiply by 5 / 60 to get agent-hours."),
                lambda g: float(_plan(g)["servers"].sum()),
            ),
            Slip(
                "units",
                N_("that is agent-minutes (agents times 5 minutes); divide by 60 for agent-hours."),
                lambda g: float(_plan(g)["servers"].sum()) * g.interval_minutes,
            ),
            Slip(
                "other",
                N_("that keeps the peak staffing all day; staff each interval for its own calls and add them up."),
                lambda g: _hours(g, _plan(g)["servers"].max() * len(g.per_interval)),
            ),
            Slip(
                "units",
                N_(
                    "that staffs for the calls of a whole 5-minute interval arriving every minute: convert the "
                    "counts to calls per minute (divide by 5) first."
                ),
                lambda g: _hours(g, _plan(g, rates=g.per_interval)["servers"].sum()),
            ),
        ],
        explanation=N_(
            "The agents of every 5-minute interval, added up, times 5 / 60: the cost side of the "
            "service level, which follows the calls through the day."
        ),
    ),
    # ------------------------------------------------------------------ 5.5 Add an agent, or change the experience?
    Exercise(
        "5.5a",
        "number",
        variable="answer_5_5a",
        unit=N_("perceived minutes"),
        low=0,
        given=CALL_CENTRE,
        reference=lambda g: _perceived(g, g.agents + 1),
        slips=[
            Slip("other", _CLOCK, lambda g: _wait(g, g.agents + 1)),
            Slip("units", _PERCEIVED_SECONDS, lambda g: 60 * _perceived(g, g.agents + 1)),
            Slip(
                "off-by-one",
                N_("that is the perceived wait with the 12 agents of today; option (a) adds a 13th."),
                lambda g: _perceived(g, g.agents),
            ),
        ],
        explanation=N_(
            "A 13th agent cuts the clock wait a lot, but an unmanaged wait still feels longer than it is: "
            "the clock wait times the product of the factors of the unmanaged principles."
        ),
    ),
    Exercise(
        "5.5b",
        "number",
        variable="answer_5_5b",
        unit=N_("perceived minutes"),
        low=0,
        given=CALL_CENTRE,
        reference=lambda g: _perceived(g, g.agents, **MANAGED),
        slips=[
            Slip("other", _CLOCK, lambda g: _wait(g)),
            Slip("units", _PERCEIVED_SECONDS, lambda g: 60 * _perceived(g, g.agents, **MANAGED)),
            Slip(
                "off-by-one",
                N_("that is the managed wait with 13 agents; option (b) keeps the 12 agents of today."),
                lambda g: _perceived(g, g.agents + 1, **MANAGED),
            ),
            Slip(
                "other",
                N_(
                    "that is the unmanaged wait with 12 agents; option (b) occupies, announces and explains it "
                    "(WaitExperience(occupied=True, known=True, explained=True))."
                ),
                lambda g: _perceived(g, g.agents),
            ),
        ],
        explanation=N_(
            "Managing three principles removes their factors: the clock wait of 12 agents stays, but it feels shorter."
        ),
    ),
    Exercise(
        "5.5c",
        "choice",
        variable="answer_5_5c",
        given=CALL_CENTRE,
        reference=lambda g: "a" if _perceived(g, g.agents + 1) < _perceived(g, g.agents, **MANAGED) else "b",
        options={
            "a": N_("A 13th agent, the wait left unmanaged: its perceived mean wait is the shorter one."),
            "b": N_(
                "Twelve agents, the wait occupied, announced and explained: its perceived mean wait is the shorter one."
            ),
        },
        explanations={
            "a": N_("compare your two perceived waits, 5.5a and 5.5b, once more."),
            "b": N_("compare your two perceived waits, 5.5a and 5.5b, once more."),
        },
        explanation=N_(
            "Near rho = 1 one more agent removes so much clock wait that no perception factor makes up "
            "for it; further from saturation, managing the experience can be the cheaper lever. The model's "
            "factors are teaching values, so the comparison is a way to reason, not a finding."
        ),
    ),
    # ------------------------------------------------------------------ 5.6 Open case: the hotel
    Exercise(
        "5.6a",
        "number",
        variable="answer_5_6a",
        unit=N_("desks"),
        integer=True,
        rel_tol=0,
        low=1,
        given=HOTEL,
        reference=_hotel_desks,
        slips=[
            Slip(
                "units",
                N_("rates per hour and times in minutes do not mix: use 90 / 60 guests per minute."),
                lambda g: _hotel_desks(g, arrival_rate=g.guests_per_hour),
            ),
            Slip(
                "other",
                N_("a check-in of 4 minutes is a service rate of 1 / 4 per minute, not 4."),
                lambda g: _hotel_desks(g, service_rate=g.handle_time),
            ),
            Slip(
                "other",
                N_(
                    "that is the offered load itself: with as many desks as Erlangs the utilisation is 1 and the "
                    "line grows without bound."
                ),
                lambda g: g.guests_per_hour / 60 * g.handle_time,
            ),
            Slip(
                "off-by-one",
                N_(
                    "with that many desks fewer than 90% of guests wait at most 5 minutes (it is the smallest stable "
                    "staffing, and the one for a target of 10%): add desks until the share reaches 90%."
                ),
                lambda g: _hotel_desks(g) - 1,
            ),
            Slip(
                "off-by-one",
                N_(
                    "that many desks meet the target, but so does one fewer: the answer is the smallest number that "
                    "reaches 90%."
                ),
                lambda g: _hotel_desks(g) + 1,
            ),
        ],
        explanation=N_(
            "The load is 1.5 guests a minute times 4 minutes = 6 Erlangs; add desks until 90% of guests "
            "wait at most 5 minutes."
        ),
    ),
    Exercise(
        "5.6b",
        "written",
        variable="answer_5_6b",
        min_words=60,
        aspects=[
            N_("pre- and post-process vs in-process: start the service in the line, keep the wait after it short"),
            N_("occupied time: something useful to do while waiting"),
            N_("uncertain and unexplained waits: announce and explain"),
            N_("fairness: one line, first come first served, visible rules for priority"),
            N_("comfort and familiarity; an option that removes the wait (app, express)"),
        ],
        explanation=N_(
            "Good answers name several principles of waiting with a concrete measure each, and say what "
            "not to do (announce waits that are then exceeded, let priority guests jump a visible line)."
        ),
    ),
]
