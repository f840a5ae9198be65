"""Widgets of chapter 3: moving a slider changes the readout exactly as crmlib.clv says, the model is
evaluated once per move, and the readout and the figure show that one evaluation."""

from __future__ import annotations

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
    cls = type(bg)
    counts = {"conditional_expected_purchases": 0, "prob_alive": 0}
    for name in counts:
        real = getattr(cls, name)

        def counted(self, *args, _real=real, _name=name):
            counts[_name] += 1
            return _real(self, *args)

        monkeypatch.setattr(cls, name, counted)
    w.sliders["T"].value = 50.0
    # one evaluation: the expected purchases once, P(alive) once for the customer and once for the curve
    assert counts == {"conditional_expected_purchases": 1, "prob_alive": 2}
    view = w.result
    assert (view.frequency, view.recency, view.T) == (2, 30.0, 50.0)
    assert w.readout.value == wclv.customer_readout(view)
    curve, point = w.figure.axes[0].lines
    np.testing.assert_allclose(curve.get_ydata(), view.curve.to_numpy())
    assert point.get_ydata()[0] == view.prob_alive
