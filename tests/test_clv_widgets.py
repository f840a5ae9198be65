"""Widgets of chapter 3: moving a slider changes the readout exactly as crmlib.clv says, the model is
evaluated once per move, and the readout and the figure show that one evaluation."""

from __future__ import annotations

import time

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from crmlib import clv, datasets  # noqa: E402
from crmlib.plotting import clv as clv_plots  # noqa: E402
from crmlib.widgets import clv as wclv  # noqa: E402


@pytest.fixture(scope="module")
def bg():
    log = datasets.load_cdnow()
    rfm = clv.rfm_summary(log, "customer_id", "date", calibration_end="1997-09-30")
    return clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def pnbd():
    log = datasets.load_cdnow()
    rfm = clv.rfm_summary(log, "customer_id", "date", calibration_end="1997-09-30")
    return clv.fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


def test_explore_clv_defaults_and_slider():
    w = wclv.explore_clv()
    s = clv.scenario()
    assert [sl.value for sl in w.sliders.values()] == [s.margin, s.retention_rate, s.discount_rate, s.periods]
    assert w.readout.value == wclv.clv_readout(wclv.evaluate_clv(s))
    expected = clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate, s.periods)
    assert f"{expected:,.2f}" in w.readout.value
    w.sliders["margin"].value = 250.0  # the main (first) slider
    new = clv.clv_from_retention(250.0, s.retention_rate, s.discount_rate, s.periods)
    assert f"{new:,.2f}" in w.readout.value
    w.sliders["retention_rate"].value = 0.9
    assert w.readout.value == wclv.clv_readout(wclv.evaluate_clv(clv.scenario(margin=250.0, retention_rate=0.9)))
    assert w.result.scenario == clv.scenario(margin=250.0, retention_rate=0.9)
    with pytest.raises(TypeError, match="defaults must be a CLVScenario"):
        wclv.explore_clv("scenario")


def test_explore_clv_evaluates_once_and_formats_that_result(monkeypatch):
    w = wclv.explore_clv()
    calls = []
    real = clv.value_curve
    monkeypatch.setattr(clv, "value_curve", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(clv_plots, "value_curve", lambda *a: pytest.fail("the figure re-evaluated the curve"))
    w.sliders["discount_rate"].value = 0.15
    assert len(calls) == 1  # one evaluation per slider move
    view = w.result
    assert view.scenario.discount_rate == 0.15
    # the readout is the formatted result ...
    assert f"<b>{view.finite_value:,.2f}</b>" in w.readout.value and f"{view.margin_multiple:.3f}" in w.readout.value
    # ... and so is the figure: the drawn curve and the dashed infinite-horizon line
    curve, limit = w.figure.axes[0].lines
    np.testing.assert_allclose(curve.get_ydata(), view.curve.to_numpy())
    assert limit.get_ydata()[0] == view.infinite_value
    assert view.infinite_value == pytest.approx(clv.clv_from_retention(100.0, 0.8, 0.15))


def test_explore_customer_matches_model(bg):
    w = wclv.explore_customer(bg)
    assert f"{bg.prob_alive(2, 30.0, 38.0):.3f}" in w.readout.value
    w.sliders["recency"].value = 5.0
    assert w.readout.value == wclv.customer_readout(wclv.evaluate_customer(bg, 2, 5.0, 38.0))
    assert f"{bg.conditional_expected_purchases(52.0, 2, 5.0, 38.0):.3f}" in w.readout.value
    w.sliders["frequency"].value = 0
    assert "P(alive) = <b>1.000</b>" in w.readout.value
    with pytest.raises(TypeError, match="model must be"):
        wclv.explore_customer("bg")


def test_explore_customer_evaluates_once_and_formats_that_result(bg, monkeypatch):
    w = wclv.explore_customer(bg)
    calls = []
    real = clv.delta_intervals

    def counted(quantity, *args, **kwargs):
        calls.append(quantity)
        return real(quantity, *args, **kwargs)

    monkeypatch.setattr(clv, "delta_intervals", counted)
    monkeypatch.setattr(clv_plots, "delta_intervals", counted)
    monkeypatch.setattr(clv_plots, "prob_alive_curve", lambda *a: pytest.fail("the figure re-evaluated the curve"))
    w.sliders["T"].value = 50.0
    # one evaluation per move: the customer's P(alive) and expected purchases, and the curve with its band
    assert sorted(calls) == ["expected_purchases", "prob_alive", "prob_alive"]
    view = w.result
    assert (view.frequency, view.recency, view.T) == (2, 30.0, 50.0)
    assert w.readout.value == wclv.customer_readout(view)
    curve, point = w.figure.axes[0].lines
    np.testing.assert_allclose(curve.get_ydata(), view.curve.to_numpy())
    assert point.get_ydata()[0] == view.prob_alive
    # the band drawn is the band evaluated: its polygon runs along the lower and the upper bound
    (band,) = w.figure.axes[0].collections
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(view.band["lower"].min()) and ys.max() == pytest.approx(view.band["upper"].max())


def test_explore_customer_shows_the_delta_intervals(bg):
    """The numbers in the readout are crmlib.clv.delta_intervals' numbers (parameter uncertainty)."""
    w = wclv.explore_customer(bg)
    w.sliders["recency"].value = 20.0
    alive = clv.delta_intervals("prob_alive", bg, None, 2, 20.0, 38.0)
    purchases = clv.delta_intervals("expected_purchases", bg, None, 2, 20.0, 38.0, t=52.0)
    assert f"<b>{alive.estimate:.3f}</b> [{alive.lower:.3f}, {alive.upper:.3f}]" in w.readout.value
    assert f"<b>{purchases.estimate:.3f}</b> [{purchases.lower:.3f}, {purchases.upper:.3f}]" in w.readout.value
    assert "95% intervals: parameter uncertainty only" in w.readout.value
    band = w.result.band
    assert np.all(band["lower"] <= w.result.curve) and np.all(w.result.curve <= band["upper"])
    # a model with given (not estimated) parameters has no covariance: point values, no band
    given = clv.BGNBDResult.from_params(**bg.params.to_dict())
    w2 = wclv.explore_customer(given)
    assert w2.result.band is None and "[" not in w2.readout.value and len(w2.figure.axes[0].collections) == 0
    # level=None: point values
    assert wclv.evaluate_customer(bg, 2, 30.0, 38.0, level=None).prob_alive_interval is None


@pytest.mark.parametrize("model_name", ["bg", "pnbd"])
def test_a_slider_event_with_its_band_is_instant(model_name, bg, request):
    model = bg if model_name == "bg" else request.getfixturevalue("pnbd")
    w = wclv.explore_customer(model)
    times = []
    for value in (10.0, 20.0, 25.0, 35.0, 5.0):
        start = time.perf_counter()
        w.sliders["recency"].value = value
        times.append(time.perf_counter() - start)
    assert w.result.band is not None
    # evaluation and drawing together; measured about 0.05-0.1 s on the 2-core test machine
    assert np.median(times) < 0.5, times
