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


def _commitment_cells(page: Page, section: str, commitment_id: str) -> dict[str, str]:
    row = f'#{section} tr[data-commitment-id="{commitment_id}"]'
    return page.evaluate(
        f"(() => {{ const r = document.querySelector('{row}'); if (!r) return null;"
        " return {status: r.querySelector('.status').innerText.trim(),"
        " text: r.innerText}; })()"
    )


def test_a_p1_commitment_in_the_p3_pack_and_the_report_to_the_executives(
    report_run: ReportRun, browser, output_dir
):
    """DOMAIN §7's loop, as a reader sees it: a commitment made at a P1 meeting is in the P3 pack
    and in the P3 report to the executives, in the state mart_commitments gives it at P3's end."""
    with report_run.read() as wh:
        made_in_p1 = wh.query(
            "select h_unit_code, commitment_id, status_at_period_end, "
            "days_overdue_at_period_end, closed_period_no from marts.mart_commitments "
            "where period_key = :period and made_period_no = 1 "
            "and (status_at_period_end in ('open', 'overdue') or closed_period_no = :period_no) "
            "order by status_at_period_end = 'overdue' desc, h_unit_code, commitment_id",
            {"period": PERIOD_KEY, "period_no": int(PERIOD_KEY[-1])},
        )
    assert not made_in_p1.empty, "the sample keeps a P1 commitment open or closes one in P3"
    chosen = made_in_p1.iloc[0]
    unit, commitment = chosen["h_unit_code"], chosen["commitment_id"]
    status_th = {"overdue": "เกินกำหนด", "open": "อยู่ระหว่างดำเนินการ", "done": "ดำเนินการแล้วเสร็จ",
                 "dropped": "ยกเลิก"}[chosen["status_at_period_end"]]  # fmt: skip
    for folder, section in (("meetings", "followed-up"), ("executive_reports", "followed-up")):
        page = browser.open(report_run.period_dir / folder / f"{unit}.html")
        page.screenshot(output_dir / "browser" / f"{folder}_{unit}_{PERIOD_KEY}.png")
        cells = _commitment_cells(page, section, commitment)
        assert cells is not None, f"{commitment} not in {folder}/{unit}.html"
        assert cells["status"] == status_th
        if chosen["status_at_period_end"] == "overdue":
            assert str(int(chosen["days_overdue_at_period_end"])) in cells["text"].split()
        assert _outside_requests(page) == []
