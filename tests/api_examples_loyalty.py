"""Valid calls of every public function of crmlib.loyalty, for the convention tests (see api_examples.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from api_examples import Example, SeriesExample


def _log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 3, 3],
            "date": pd.to_datetime(
                ["1997-01-01", "1997-01-01", "1997-03-01", "1997-02-01", "1997-01-05", "1997-10-01"]
            ),
            "amount": [10.0, 5.0, 20.0, 8.0, 12.0, 30.0],
        }
    )


def _survey(n_respondents: int = 200) -> pd.DataFrame:
    from crmlib.loyalty import simulate_relationship_survey

    return simulate_relationship_survey(n_respondents, rng=np.random.default_rng(1))


_SCORES = {
    "repeat_purchases": 4,
    "choice_time": 3,
    "price_sensitivity": 2,
    "competitor_attitude": 3,
    "quality_tolerance": 4,
}

EXAMPLES = {
    "crmlib.loyalty.dick_basu": Example(
        dict(relative_attitude=0.8, repeat_patronage=0.3, attitude_cutoff=0.5, patronage_cutoff=0.5)
    ),
    "crmlib.loyalty.griffin": Example(
        dict(attachment=0.8, repeat_purchase=0.3, attachment_cutoff=0.5, repeat_cutoff=0.5)
    ),
    "crmlib.loyalty.seven_type": Example(
        dict(attachment=2, repeat=5, no_alternative=1, habit=3, convenience=4, price=2, rewards=2, barriers=1, cutoff=4)
    ),
    "crmlib.loyalty.oliver_phase": Example(dict(cognitive=5, affective=4, conative=3, action=5, cutoff=4)),
    "crmlib.loyalty.loyalty_dimensions": Example(dict(behavioural=5, intentional=2, emotional=4, cutoff=4)),
    "crmlib.loyalty.mckinsey_segment": Example(
        dict(stays=True, emotional=5, habit=3, deliberation=1, life_change=1, dissatisfaction=1)
    ),
    "crmlib.loyalty.programme_view": Example(dict(no_alternative=1, saving=2, reward=5, habit=3, preference=4)),
    "crmlib.loyalty.loyalty_level": Example(dict(index=60.0)),
    "crmlib.loyalty.loyal_signs": Example(
        dict(repeat=True, cross_buy=False, recommends=True, immune=True, forgives=False)
    ),
    "crmlib.loyalty.criteria_index": Example(dict(scores=dict(_SCORES))),
    "crmlib.loyalty.criteria_contributions": Example(dict(scores=dict(_SCORES))),
    "crmlib.loyalty.repurchase_band": Example(dict(probability=0.8)),
    "crmlib.loyalty.quantified_index": Example(dict(satisfaction=4, repurchase_probability=0.8, recommend="possible")),
    "crmlib.loyalty.purchase_history": Example(dict(transactions=_log, end="1997-09-30")),
    "crmlib.loyalty.repeat_rate": Example(dict(transactions=_log, end="1997-09-30")),
    "crmlib.loyalty.inter_purchase_times": Example(dict(transactions=_log)),
    "crmlib.loyalty.period_share": Example(dict(transactions=_log, start="1997-02-01", end="1997-10-01")),
    "crmlib.loyalty.share_of_wallet": Example(dict(spend_with_firm=300.0, category_spend=1200.0)),
    "crmlib.loyalty.simulate_relationship_survey": Example(
        dict(n_respondents=50, rng=lambda: np.random.default_rng(1), factor_correlation=0.4, loading=0.8, points=7)
    ),
    "crmlib.loyalty.scale_scores": Example(dict(survey=lambda: _survey(50))),
    "crmlib.loyalty.fit_relationship_quality": Example(dict(survey=_survey, model="ordered_logit", maxiter=2000)),
    "crmlib.loyalty.loyal_value_ratio": Example(dict(transactions=_log, min_purchases=2)),
    "crmlib.loyalty.loyal_customer_profit": Example(
        dict(
            years=7,
            base_profit=20.0,
            acquisition_cost=50.0,
            spend_growth=6.0,
            cost_saving=3.0,
            referrals=4.0,
            price_premium=2.0,
        )
    ),
    "crmlib.loyalty.customer_delivered_value": Example(
        dict(product=60.0, service=20.0, personnel=10.0, image=10.0, money=50.0, time=10.0, energy=5.0, psychic=5.0)
    ),
    "crmlib.loyalty.benefit_type": Example(dict(involvement=4, cutoff=4)),
    "crmlib.loyalty.reward_points": Example(dict(spend=100.0, category="petrol", base_rate=1.0)),
    "crmlib.loyalty.project_customer_base": Example(
        dict(
            acquisition=100.0,
            retention_rate=0.8,
            discount_rate=0.1,
            periods=10,
            margin=100.0,
            margin_growth=0.05,
            service_cost=20.0,
            cost_decline=0.1,
            referral_rate=0.05,
            acquisition_cost=50.0,
            feedback_value=2.0,
            search_cost=3.0,
            contracting_cost=2.0,
            monitoring_cost=1.0,
        )
    ),
    "crmlib.loyalty.retention_effects": Example(
        dict(baseline_retention_rate=0.7, retention_rate=0.8, periods=10, margin=100.0, margin_growth=0.05)
    ),
    "crmlib.loyalty.loyalty_strategies": Example({}),
    "crmlib.loyalty.loyalty_principles": Example({}),
    "crmlib.loyalty.value_proposition_points": Example({}),
    "crmlib.loyalty.programme_keys": Example({}),
    "crmlib.loyalty.value_points": Example(dict(firm=4, rival=3, importance=5, tolerance=0.5, resonance_min=4.5)),
    "crmlib.loyalty.satisfaction_conditions": Example(dict(competitive_intensity=0.9, switching_barrier=0.0)),
}

SERIES_FUNCTIONS = {
    "crmlib.loyalty.dick_basu": SeriesExample(
        dict(relative_attitude=[0.9, 0.1, 0.6], repeat_patronage=[0.2, 0.8, 0.7])
    ),
    "crmlib.loyalty.griffin": SeriesExample(dict(attachment=[0.9, 0.1, 0.6], repeat_purchase=[0.2, 0.8, 0.7])),
    "crmlib.loyalty.seven_type": SeriesExample(dict(attachment=[5, 1, 2], repeat=[2, 5, 1], habit=[1, 5, 2])),
    "crmlib.loyalty.oliver_phase": SeriesExample(
        dict(cognitive=[5, 2, 5], affective=[5, 5, 4], conative=[2, 5, 5], action=[5, 5, 4])
    ),
    "crmlib.loyalty.loyalty_dimensions": SeriesExample(
        dict(behavioural=[5, 1, 4], intentional=[1, 5, 4], emotional=[5, 1, 2])
    ),
    "crmlib.loyalty.mckinsey_segment": SeriesExample(
        dict(stays=[True, False, True], emotional=[5, 1, 2], habit=[1, 2, 5])
    ),
    "crmlib.loyalty.programme_view": SeriesExample(
        dict(no_alternative=[5, 1, 1], saving=[1, 5, 1], reward=[1, 1, 5], habit=[2, 2, 2], preference=[1, 1, 1])
    ),
    "crmlib.loyalty.loyalty_level": SeriesExample(dict(index=[10.0, 60.0, 90.0])),
    "crmlib.loyalty.loyal_signs": SeriesExample(
        dict(
            repeat=[True, False, True],
            cross_buy=[True, False, False],
            recommends=[False, False, True],
            immune=[True, True, False],
            forgives=[False, False, False],
        )
    ),
    "crmlib.loyalty.repurchase_band": SeriesExample(dict(probability=[0.1, 0.5, 0.9])),
    "crmlib.loyalty.quantified_index": SeriesExample(
        dict(
            satisfaction=["very satisfied", "neutral", "dissatisfied"],
            repurchase_probability=[0.9, 0.5, 0.1],
            recommend=["very likely", "possible", "impossible"],
        )
    ),
    "crmlib.loyalty.share_of_wallet": SeriesExample(
        dict(spend_with_firm=[100.0, 50.0, 10.0], category_spend=[200.0, 500.0, 10.0])
    ),
    "crmlib.loyalty.benefit_type": SeriesExample(dict(involvement=[1, 4, 5])),
    "crmlib.loyalty.reward_points": SeriesExample(
        dict(spend=[100.0, 50.0, 20.0], category=["petrol", "other", "supermarket"])
    ),
    "crmlib.loyalty.value_points": SeriesExample(dict(firm=[4, 5, 3], rival=[4, 3, 4], importance=[5, 5, 3])),
}
