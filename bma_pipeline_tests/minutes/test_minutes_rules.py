"""The minutes contract: every minutes reason code on a minimal bad row of good minutes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import Period
from bma_pipeline.intake.headers import canonical_column
from bma_pipeline.intake.parse import parse_sheets
from bma_pipeline.intake.readers import SheetTable
from bma_pipeline.minutes.rules import (
    MinutesContext,
    judge_minutes,
    judge_minutes_many,
    meeting_window,
)
from bma_pipeline.validation.reasons import MINUTES_REASONS

PERIOD = Period(2566, 3)  # Feb–Mar 2023, due 10 Apr: minutes may date 1 Feb – 10 May
CONTEXT = MinutesContext(
    sender="DDS",
    units=frozenset({"DDS", "PWD", "1001", "1002", "1003"}),
    period=PERIOD,
    window=meeting_window(PERIOD, deadline_days=10, grace_days=30),
    led_policies=frozenset({"P013"}),
    support_units=frozenset({"1001", "1002"}),
    assigned={"P013": frozenset({"DDS", "1001", "1002"}), "P020": frozenset({"PWD"})},
    kpis={"P013": frozenset({"K0025", "K0026"}), "P020": frozenset({"K0040"})},
    other_commitments=frozenset({"DDS-2566-01"}),
)

GOOD: dict[str, list[dict[str, str]]] = {
    "meeting": [{"period_key": "2566-P3", "meeting_date": "15/03/2566"}],
    "attendance": [
        {"unit_code": "1001", "present": "ใช่"},
        {"unit_code": "1002", "present": "ไม่ใช่"},
    ],
    "decisions": [{"decision_no": "1", "text": "เร่งขุดลอกคลองก่อนฤดูฝน", "policy_code": "P013"}],
    "commitments": [
        {
            "commitment_id": "DDS-2566-02",
            "action": "ส่งรถขุดเพิ่ม 2 คัน",
            "owner_unit": "1001",
            "due_date": "30/04/2566",
            "policy_code": "P013",
            "kpi_code": "K0025",
        }
    ],
    "updates": [
        {"commitment_id": "DDS-2566-01", "status": "แล้วเสร็จ", "note": "ลอกคลองครบ"},
        {"commitment_id": "DDS-2566-02", "status": "open"},
    ],
}


def _table(sheet: str, rows: list[dict[str, str]]) -> SheetTable:
    layout = MINUTES.sheet(sheet)
    headers = [str(c.label_th) for c in layout.columns]
    frame = pd.DataFrame([[row.get(c.name) for c in layout.columns] for row in rows],
                         columns=headers, dtype=object)  # fmt: skip
    frame["row_number"] = list(range(4, len(rows) + 4))
    return SheetTable(
        headers, [canonical_column(h, layout) for h in headers], 2, frame, 1, None, sheet
    )


def judge(changes: dict[str, dict[int, dict[str, str]]] | None = None, context=CONTEXT):
    sheets = {}
    for sheet, rows in GOOD.items():
        rows = [dict(row) for row in rows]
        for index, cells in (changes or {}).get(sheet, {}).items():
            if index >= len(rows):
                rows.append(dict(cells))
            else:
                rows[index].update(cells)
        sheets[sheet] = parse_sheets([_table(sheet, rows)], MINUTES.sheet(sheet))[0]
    return judge_minutes(sheets, context)


def test_good_minutes_are_accepted_whole():
    assert all(q.empty for q in judge().values())


def test_thai_cells_parse():
    sheets = {s: parse_sheets([_table(s, r)], MINUTES.sheet(s))[0] for s, r in GOOD.items()}
    assert sheets["meeting"]["meeting_date"].tolist() == [date(2023, 3, 15)]
    assert sheets["meeting"][["period_key", "period_fiscal_year"]].values.tolist() == [[3, 2566]]
    assert sheets["attendance"]["present"].tolist() == [True, False]
    assert sheets["updates"]["status"].tolist() == ["done", "open"]


CASCADE = {"meeting_row_quarantined", "unknown_commitment"}

# code, sheet, changes, the column and value its English message names.
BAD_ROWS = [
    ("missing_value", "commitments", {"commitments": {0: {"action": ""}}}, "action", "''"),
    ("not_a_number", "decisions", {"decisions": {0: {"decision_no": "หนึ่ง"}}}, "decision_no",
     "'หนึ่ง'"),
    ("negative_value", "decisions", {"decisions": {0: {"decision_no": "-1"}}}, "decision_no",
     "'-1'"),
    ("bad_period", "meeting", {"meeting": {0: {"period_key": "2566-P9"}}}, "period_key",
     "'2566-P9'"),
    ("bad_date", "commitments", {"commitments": {0: {"due_date": "31/02/2566"}}}, "due_date",
     "'31/02/2566'"),
    ("bad_boolean", "attendance", {"attendance": {1: {"present": "สาย"}}}, "present", "'สาย'"),
    ("bad_code_format", "commitments", {"commitments": {0: {"owner_unit": "10011"}}},
     "owner_unit", "'10011'"),
    ("unknown_unit", "attendance", {"attendance": {2: {"unit_code": "ZZZ", "present": "no"}}},
     "unit_code", "'ZZZ'"),
    ("bad_status", "updates", {"updates": {0: {"status": "รอ"}}}, "status", "'รอ'"),
    ("period_without_year", "meeting", {"meeting": {0: {"period_key": "3"}}}, "period_key",
     "'3'"),
    ("meeting_date_out_of_window", "meeting", {"meeting": {0: {"meeting_date": "15/01/2566"}}},
     "meeting_date", "'15/01/2566'"),
    ("not_support_unit", "attendance", {"attendance": {2: {"unit_code": "1003", "present": "1"}}},
     "unit_code", "'1003'"),
    ("unknown_policy", "decisions", {"decisions": {0: {"policy_code": "P099"}}}, "policy_code",
     "'P099'"),
    ("owner_not_assigned", "commitments", {"commitments": {0: {"owner_unit": "PWD"}}},
     "owner_unit", "'PWD'"),
    ("kpi_not_of_policy", "commitments", {"commitments": {0: {"kpi_code": "K0040"}}}, "kpi_code",
     "'K0040'"),
    ("due_date_out_of_range", "commitments", {"commitments": {0: {"due_date": "01/03/2566"}}},
     "due_date", "'01/03/2566'"),
    ("duplicate_commitment", "commitments", {"commitments": {0: {"commitment_id": "DDS-2566-01"}}},
     "commitment_id", "'DDS-2566-01'"),
    ("unknown_commitment", "updates", {"updates": {2: {"commitment_id": "PWD-01",
     "status": "done"}}}, "commitment_id", "'PWD-01'"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "sheet", "changes", "column", "value"), BAD_ROWS)
def test_bad_row_is_quarantined_with_its_reason(code, sheet, changes, column, value):
    verdicts = judge(changes)
    for name, quarantine in verdicts.items():
        if name != sheet:
            codes = set(",".join(quarantine["reason_codes"]).split(",")) - {""}
            assert codes <= CASCADE, (name, quarantine.to_dict("records"))
    assert len(verdicts[sheet]) == 1, verdicts[sheet].to_dict("records")
    row = verdicts[sheet].iloc[0]
    assert row["reason_codes"].split(",") == [code]
    assert f"column {column}: {value}" in row["message_en"]
    assert "คอลัมน์ " in row["message_th"] and value in row["message_th"]


def test_every_minutes_reason_code_has_a_test():
    tested = {code for code, *_ in BAD_ROWS}
    tested |= {"duplicate_code", "sender_not_lead", "meeting_row_quarantined"}  # tests below
    assert tested == set(MINUTES_REASONS)


def test_a_unit_that_leads_nothing_holds_no_meeting_and_its_rows_follow():
    stranger = MinutesContext(
        sender="PWD",
        units=CONTEXT.units,
        period=PERIOD,
        window=CONTEXT.window,
        assigned=CONTEXT.assigned,
        kpis=CONTEXT.kpis,
    )
    verdicts = judge(context=stranger)
    assert verdicts["meeting"]["reason_codes"].tolist() == ["sender_not_lead"]
    assert "unit PWD leads no policy" in verdicts["meeting"]["message_en"].iloc[0]
    for sheet in ("attendance", "decisions", "commitments", "updates"):
        assert all("meeting_row_quarantined" in c for c in verdicts[sheet]["reason_codes"])


def test_the_update_of_a_commitment_made_in_the_same_minutes_is_known():
    verdicts = judge({"updates": {0: {"commitment_id": "DDS-2566-02", "status": "open"}}})
    assert verdicts["updates"]["reason_codes"].tolist() == ["duplicate_code", "duplicate_code"]


def test_the_same_decision_number_twice_quarantines_both_rows():
    verdicts = judge({"decisions": {1: {"decision_no": "1", "text": "ซ้ำ"}}})
    assert verdicts["decisions"]["row_number"].tolist() == [4, 5]
    assert verdicts["decisions"]["reason_codes"].tolist() == ["duplicate_code"] * 2


def test_an_owner_that_is_no_unit_is_named_as_such():
    verdicts = judge({"commitments": {0: {"owner_unit": "XYZ"}}})
    assert verdicts["commitments"]["reason_codes"].tolist() == ["unknown_unit"]


@pytest.mark.parametrize(
    ("meeting_date", "quarantined"), [("15/03/2566", False), ("15/01/2566", True)]
)
def test_dates_read_back_from_the_ledger_are_judged_like_parsed_ones(meeting_date, quarantined):
    """The ledger hands dates back as timestamps (a DATE column read by pandas)."""
    sheets = {}
    for sheet, rows in GOOD.items():
        rows = [dict(row, meeting_date=meeting_date) if sheet == "meeting" else row for row in rows]
        frame = parse_sheets([_table(sheet, rows)], MINUTES.sheet(sheet))[0]
        for column in MINUTES.sheet(sheet).columns:
            if column.kind == "date":
                frame[column.name] = pd.to_datetime(frame[column.name])
        sheets[sheet] = frame
    verdicts = judge_minutes(sheets, CONTEXT)
    assert (not verdicts["meeting"].empty) == quarantined
    assert all(verdicts[s].empty for s in ("attendance", "commitments", "updates")) != quarantined


def test_files_judged_together_get_the_verdicts_each_gets_alone():
    """One batch of every case above (and a file without sheets) judges each file by its own
    context and rows: a key repeated across files, or a meeting quarantined in one, stays there."""
    stranger = MinutesContext(
        "PWD", CONTEXT.units, PERIOD, CONTEXT.window, assigned=CONTEXT.assigned
    )
    cases = [(changes, CONTEXT) for _, _, changes, _, _ in BAD_ROWS] + [(None, stranger)]
    cases += [({"decisions": {1: {"decision_no": "1", "text": "ซ้ำ"}}}, CONTEXT), (None, CONTEXT)]
    files = []
    for changes, context in cases:
        sheets = {}
        for sheet, rows in GOOD.items():
            rows = [dict(row) for row in rows]
            for index, cells in (changes or {}).get(sheet, {}).items():
                rows.append(dict(cells)) if index >= len(rows) else rows[index].update(cells)
            sheets[sheet] = parse_sheets([_table(sheet, rows)], MINUTES.sheet(sheet))[0]
        files.append((sheets, context))
    files.append(({}, CONTEXT))
    together = judge_minutes_many(files)
    assert len(together) == len(files)
    quarantined = 0
    for (sheets, context), verdicts in zip(files, together, strict=True):
        alone = judge_minutes(sheets, context)
        assert verdicts.keys() == alone.keys()
        for name, frame in alone.items():
            pd.testing.assert_frame_equal(verdicts[name], frame, check_dtype=False)
            quarantined += len(frame)
    assert quarantined > len(BAD_ROWS)  # the cases fail, with their cascades
