"""The action-plan contract: every plan reason code on a minimal bad row of a good plan."""

from __future__ import annotations

import pandas as pd
import pytest

from bma_pipeline.columns import PLAN
from bma_pipeline.intake.headers import canonical_column
from bma_pipeline.intake.parse import parse_sheets
from bma_pipeline.intake.readers import SheetTable
from bma_pipeline.plans.rules import PlanContext, judge_plan
from bma_pipeline.validation.reasons import PLAN_REASONS

DIMENSIONS = pd.DataFrame(
    {
        "dimension_code": ["safety", "travel", "environment"],
        "name_th": ["ปลอดภัยดี", "เดินทางดี", "สิ่งแวดล้อมดี"],
        "name_en": ["Good Safety", "Good Travel", "Good Environment"],
    }
)
UNITS = frozenset({"SED", "DDS", "PWD", "1001", "1002"})
GROUPS = frozenset({"G1", "G2", "G3"})

# A good plan, sheet → rows of canonical column → cell text (as a person types it).
GOOD: dict[str, list[dict[str, str]]] = {
    "plan": [{"fiscal_year": "2567", "effective_from": "1"}],
    "policies": [
        {
            "policy_code": "P001",
            "title_th": "ลอกคลอง",
            "group_code": "G3",
            "dimensions": "environment, ปลอดภัยดี",
            "is_key_project": "ใช่",
        },
        {"policy_code": "P002", "title_th": "ทางเท้า", "group_code": "G3", "dimensions": "travel"},
    ],
    "projects": [{"project_code": "P001-1", "policy_code": "P001", "title_th": "ลอกคลองหลัก"}],
    "kpis": [
        {
            "kpi_code": "K0001",
            "policy_code": "P001",
            "project_code": "P001-1",
            "name_th": "คลองที่ลอก",
            "measure_unit_th": "คลอง",
            "direction": "increase",
            "aggregation": "sum",
        },
        {
            "kpi_code": "K0002",
            "policy_code": "P002",
            "name_th": "ทางเท้าที่ใช้ได้",
            "measure_unit_th": "ร้อยละ",
            "direction": "ยิ่งมากยิ่งดี",
            "aggregation": "last",
            "is_percentage": "yes",
            "baseline_value": "80",
        },
    ],
    "assignments": [
        {"policy_code": "P001", "unit_code": "DDS", "role": "H"},
        {"policy_code": "P001", "unit_code": "1001", "role": "R"},
        {"policy_code": "P002", "unit_code": "PWD", "role": "H"},
        {"policy_code": "P002", "unit_code": "1002", "role": "R"},
    ],
    "targets": [
        {"kpi_code": "K0001", "unit_code": "DDS", "annual_target": "60", "p1": "30", "p2": "30"},
        {"kpi_code": "K0001", "unit_code": "1001", "annual_target": "12"},
        {"kpi_code": "K0002", "unit_code": "PWD", "annual_target": "95"},
    ],
}


def _table(sheet: str, rows: list[dict[str, str]]) -> SheetTable:
    layout = PLAN.sheet(sheet)
    headers = [str(c.label_th) for c in layout.columns]
    cells = [[row.get(c.name) for c in layout.columns] for row in rows]
    frame = pd.DataFrame(cells, columns=headers, dtype=object)
    frame["row_number"] = list(range(4, len(rows) + 4))
    columns = [canonical_column(h, layout) for h in headers]
    return SheetTable(headers, columns, 2, frame, 1, None, layout.label_th)


def plan_sheets(changes: dict[str, dict[int, dict[str, str]]] | None = None) -> dict:
    """The good plan's parsed sheets, with `changes[sheet][row index]` overriding cells
    (a row index past the end adds a row)."""
    out = {}
    for sheet, rows in GOOD.items():
        rows = [dict(row) for row in rows]
        for index, cells in (changes or {}).get(sheet, {}).items():
            if index >= len(rows):
                rows.append(dict(cells))
            else:
                rows[index].update(cells)
        out[sheet] = parse_sheets([_table(sheet, rows)], PLAN.sheet(sheet))[0]
    return out


def judge(changes=None, sender: str = "SED", led: frozenset[str] = frozenset()):
    context = PlanContext.of(sender, UNITS, GROUPS, DIMENSIONS, led)
    return judge_plan(plan_sheets(changes), context)


def test_the_good_plan_is_accepted_whole():
    assert all(q.empty for q in judge().values())


# Reasons that follow from a row of another sheet having failed.
CASCADES = {
    "plan_row_quarantined",
    "policy_row_quarantined",
    "kpi_row_quarantined",
    "project_not_in_plan",
    "target_unit_not_assigned",
}


def _only(verdicts: dict[str, pd.DataFrame], sheet: str) -> pd.Series:
    """The one failing row of `sheet`; other sheets' rows may only follow it (cascades)."""
    for name, quarantine in verdicts.items():
        if name != sheet:
            codes = set(",".join(quarantine["reason_codes"]).split(",")) - {""}
            assert codes <= CASCADES, (name, quarantine.to_dict("records"))
    assert len(verdicts[sheet]) == 1, verdicts[sheet].to_dict("records")
    return verdicts[sheet].iloc[0]


# code, sheet, changes, the column and value its English message names.
BAD_ROWS = [
    ("missing_value", "kpis", {"kpis": {1: {"name_th": ""}}}, "name_th", "''"),
    ("not_a_number", "targets", {"targets": {1: {"annual_target": "สิบสอง"}}}, "annual_target",
     "'สิบสอง'"),
    ("negative_value", "kpis", {"kpis": {1: {"baseline_value": "-5"}}}, "baseline_value", "'-5'"),
    ("bad_fiscal_year", "plan", {"plan": {0: {"fiscal_year": "ปีหน้า"}}}, "fiscal_year",
     "'ปีหน้า'"),
    ("ce_fiscal_year", "plan", {"plan": {0: {"fiscal_year": "2024"}}}, "fiscal_year", "'2024'"),
    ("bad_period", "plan", {"plan": {0: {"effective_from": "7"}}}, "effective_from", "'7'"),
    ("period_year_mismatch", "plan", {"plan": {0: {"effective_from": "2566-P3"}}},
     "effective_from", "'2566-P3'"),
    ("bad_code_format", "projects", {"projects": {0: {"project_code": "X-1"}}}, "project_code",
     "'X-1'"),
    ("unknown_unit", "assignments", {"assignments": {1: {"unit_code": "ZZZ"}}}, "unit_code",
     "'ZZZ'"),
    ("bad_boolean", "policies", {"policies": {1: {"is_key_project": "บางที"}}}, "is_key_project",
     "'บางที'"),
    ("bad_direction", "kpis", {"kpis": {1: {"direction": "sideways"}}}, "direction",
     "'sideways'"),
    ("bad_aggregation", "kpis", {"kpis": {1: {"aggregation": "average"}}}, "aggregation",
     "'average'"),
    ("bad_role", "assignments", {"assignments": {1: {"role": "X"}}}, "role", "'X'"),
    ("unknown_group", "policies", {"policies": {1: {"group_code": "G4"}}}, "group_code", "'G4'"),
    ("unknown_dimension", "policies", {"policies": {1: {"dimensions": "travel, space"}}},
     "dimensions", "'travel, space'"),
    ("policy_not_in_plan", "assignments", {"assignments": {4: {"policy_code": "P003",
     "unit_code": "1001", "role": "R"}}}, "policy_code", "'P003'"),
    ("project_not_in_plan", "kpis", {"kpis": {1: {"project_code": "P001-1"}}}, "project_code",
     "'P001-1'"),
    ("kpi_not_in_plan", "targets", {"targets": {3: {"kpi_code": "K0009", "unit_code": "PWD",
     "annual_target": "1"}}}, "kpi_code", "'K0009'"),
    ("target_unit_not_assigned", "targets", {"targets": {2: {"unit_code": "1001"}}}, "unit_code",
     "'1001'"),
    ("baseline_on_sum_kpi", "kpis", {"kpis": {0: {"baseline_value": "3"}}}, "baseline_value",
     "'3'"),
    ("period_targets_mismatch", "targets", {"targets": {0: {"p2": "20"}}}, "annual_target",
     "'60'"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "sheet", "changes", "column", "value"), BAD_ROWS)
def test_bad_row_is_quarantined_with_its_reason(code, sheet, changes, column, value):
    row = _only(judge(changes), sheet)
    assert row["reason_codes"].split(",") == [code]
    assert f"column {column}: {value}" in row["message_en"]
    assert "คอลัมน์ " in row["message_th"] and value in row["message_th"]


def test_every_plan_reason_code_has_a_test():
    tested = {code for code, *_ in BAD_ROWS}
    tested |= {  # the tests below
        "duplicate_code",
        "policy_without_lead",
        "policy_row_quarantined",
        "kpi_row_quarantined",
        "plan_row_quarantined",
        "not_lead_unit",
    }
    assert tested == set(PLAN_REASONS)


def test_the_same_code_twice_in_a_sheet_quarantines_both_rows():
    verdicts = judge({"kpis": {1: {"kpi_code": "K0001"}}})
    kpis = verdicts["kpis"]
    assert kpis["row_number"].tolist() == [4, 5]
    assert all(codes.startswith("duplicate_code") for codes in kpis["reason_codes"])
    # every target of K0001 now cascades, K0002's target has no KPI row left
    assert set(verdicts["targets"]["reason_codes"]) == {"kpi_row_quarantined", "kpi_not_in_plan"}


def test_a_policy_without_a_lead_unit_is_quarantined_and_its_rows_with_it():
    verdicts = judge({"assignments": {2: {"role": "R"}}})
    policy = verdicts["policies"]
    assert policy["row_number"].tolist() == [5]
    assert policy["reason_codes"].tolist() == ["policy_without_lead"]
    assert "'P002' has no lead unit (H)" in policy["message_en"].iloc[0]
    cascaded = verdicts["kpis"]["reason_codes"].tolist()
    assert cascaded == ["policy_row_quarantined"]
    assert set(verdicts["assignments"]["reason_codes"]) == {"policy_row_quarantined"}
    assert verdicts["targets"]["reason_codes"].tolist() == ["kpi_row_quarantined"]


def test_a_bad_plan_row_quarantines_every_row_of_the_file():
    verdicts = judge({"plan": {0: {"fiscal_year": ""}}})
    assert verdicts["plan"]["reason_codes"].tolist() == ["missing_value"]
    for sheet in ("policies", "projects", "kpis", "assignments", "targets"):
        assert len(verdicts[sheet]) == len(GOOD[sheet])
        assert all("plan_row_quarantined" in c for c in verdicts[sheet]["reason_codes"]), sheet


def test_a_lead_unit_revises_only_the_policies_it_leads():
    verdicts = judge(sender="DDS", led=frozenset({"P001"}))
    assert verdicts["plan"].empty
    assert verdicts["policies"]["row_number"].tolist() == [5]  # P002
    message = verdicts["policies"]["message_en"].iloc[0]
    assert message == (
        "column policy_code: 'P002': unit DDS does not lead this policy in the plan in force, "
        "so it may not revise it (only SED or the policy's lead units may)"
    )
    assert verdicts["kpis"]["row_number"].tolist() == [5]
    assert "not_lead_unit" in verdicts["kpis"]["reason_codes"].iloc[0]
    assert len(verdicts["assignments"]) == 2 and len(verdicts["targets"]) == 1
    assert verdicts["projects"].empty  # P001-1 belongs to P001, which DDS leads


def test_sed_may_revise_anything_and_a_department_nothing_it_does_not_lead():
    assert all(q.empty for q in judge(sender="SED", led=frozenset()).values())
    stranger = judge(sender="PWD", led=frozenset())
    assert len(stranger["policies"]) == 2
    assert all("not_lead_unit" in c for c in stranger["policies"]["reason_codes"])


def test_thai_sheet_content_parses_like_codes():
    sheets = plan_sheets()
    kpis = sheets["kpis"]
    assert kpis["direction"].tolist() == ["increase", "increase"]
    assert kpis["is_percentage"].tolist()[1] is True
    assert sheets["policies"]["dimensions"].tolist() == ["environment,ปลอดภัยดี", "travel"]
    assert sheets["policies"]["is_key_project"].tolist()[0] is True
