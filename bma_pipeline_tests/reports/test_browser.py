"""The dashboard and a meeting pack opened in headless Chromium: what a reader sees matches the
marts, is in Thai, and nothing was requested from outside the file system.

Skipped with the reason when Chromium is not installed (`make setup` installs Debian's
`chromium`); under CI=true a missing browser is a failure. Screenshots go to
test-output/browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ..browser import Chromium, Page, require_chromium
from . import expected
from .conftest import PERIOD_KEY, ReportRun

pytestmark = pytest.mark.browser

ALLOWED_SCHEMES = ("file:", "data:")


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(require_chromium()) as chromium:
        yield chromium


def _outside_requests(page: Page) -> list[str]:
    return [url for url in page.requests if not url.startswith(ALLOWED_SCHEMES)]


def _status_text(page: Page, table_id: str, policy_code: str) -> str:
    return page.evaluate(
        f'document.querySelector(\'#{table_id} tr[data-policy-code="{policy_code}"] '
        f".status').innerText.trim()"
    )


def test_dashboard_in_the_browser(report_run: ReportRun, browser, output_dir):
    page = browser.open(report_run.period_dir / "executive_dashboard.html")
    page.screenshot(output_dir / "browser" / "executive_dashboard.png")

    districts = page.evaluate("document.querySelectorAll('#districts .tile').length")
    assert districts == 50

    with report_run.read() as wh:
        policies = expected.policies(wh, PERIOD_KEY)
    # The lowest-progress policy: the one an executive asks about first.
    chosen = policies.sort_values(["progress_pct", "policy_code"]).iloc[0]
    shown = _status_text(page, "policy-table", chosen["policy_code"])
    assert shown == expected.STATUS_TH[chosen["status"]]

    body = page.evaluate("document.body.innerText")
    assert len(re.findall(f"[{expected.THAI}]", body)) > 1000
    assert "ภาพรวมกรุงเทพมหานคร" in body

    drawn = page.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length")
    assert drawn >= 3, "the plotly charts drew (their JavaScript is in the file)"

    assert page.requests, "the page load itself is recorded"
    assert _outside_requests(page) == []


def test_meeting_pack_in_the_browser(report_run: ReportRun, browser, output_dir):
    unit = report_run.meeting_unit
    page = browser.open(report_run.period_dir / "meetings" / f"{unit}.html")
    page.screenshot(output_dir / "browser" / f"meeting_{unit}.png")

    with report_run.read() as wh:
        policies = expected.lead_policies(wh, unit, PERIOD_KEY)
    for policy in policies.itertuples():
        assert (
            _status_text(page, "policies", policy.policy_code) == expected.STATUS_TH[policy.status]
        )

    body = page.evaluate("document.body.innerText")
    assert "ระเบียบวาระ" in body and "ปัญหาอุปสรรค" in body
    assert page.evaluate("document.documentElement.lang") == "th"
    assert _outside_requests(page) == []


def test_a_request_to_the_web_would_be_caught(browser, tmp_path):
    """The check above can fail: a page that loads an image from the web is caught."""
    page_path = tmp_path / "online.html"
    page_path.write_text(
        '<html><body><img src="https://example.invalid/logo.png"></body></html>', encoding="utf-8"
    )
    page = browser.open(page_path)
    assert _outside_requests(page) == ["https://example.invalid/logo.png"]
