"""Widgets of chapter 3: moving a slider changes the readout exactly as crmlib.clv says."""
from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

from crmlib import clv, datasets  # noqa: E402
from crmlib.widgets import clv as wclv  # noqa: E402


def test_explore_clv_defaults_and_slider():
    w = wclv.explore_clv()
    s = clv.scenario()
    assert [sl.value for sl in w.sliders.values()] == [s.margin, s.retention_rate, s.discount_rate, s.periods]
    assert w.readout.value == wclv.clv_readout(s)
    expected = clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate, s.periods)
    assert f"{expected:,.2f}" in w.readout.value
    w.sliders["margin"].value = 250.0          # the main (first) slider
    new = clv.clv_from_retention(250.0, s.retention_rate, s.discount_rate, s.periods)
    assert f"{new:,.2f}" in w.readout.value
    w.sliders["retention_rate"].value = 0.9
    assert w.readout.value == wclv.clv_readout(clv.scenario(margin=250.0, retention_rate=0.9))


def test_explore_customer_matches_model():
    log = datasets.load_cdnow()
    rfm = clv.rfm_summary(log, "customer_id", "date", calibration_end="1997-09-30")
    bg = clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    w = wclv.explore_customer(bg)
    assert f"{bg.prob_alive(2, 30.0, 38.0):.3f}" in w.readout.value
    w.sliders["recency"].value = 5.0
    assert w.readout.value == wclv.customer_readout(bg, 2, 5.0, 38.0)
    w.sliders["frequency"].value = 0
    assert "P(alive) = <b>1.000</b>" in w.readout.value
    with pytest.raises(TypeError, match="model must be"):
        wclv.explore_customer("bg")
