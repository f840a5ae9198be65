"""Fixtures for the browser tests: Debian Chromium under Playwright, screenshots in test-artifacts/.

Chromium is installed with ``apt-get install -y chromium`` when missing and the tests run as
root (as in CI); otherwise every test that needs the browser is skipped with the reason.
"""

from __future__ import annotations

import labdriver
import pytest


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test worker."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a test dependency
        pytest.skip(f"browser tests need the playwright package: {exc}")
    try:
        labdriver.ensure_chromium()
    except labdriver.BrowserUnavailable as exc:
        pytest.skip(f"browser tests skipped: {exc}")
    with sync_playwright() as pw:
        try:
            b = labdriver.launch(pw)
        except labdriver.BrowserUnavailable as exc:
            pytest.skip(f"browser tests skipped: {exc}")
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts():
    """Folder for screenshots (gitignored)."""
    labdriver.ARTIFACTS.mkdir(exist_ok=True)
    return labdriver.ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can screenshot failures."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
