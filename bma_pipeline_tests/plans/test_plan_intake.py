"""Plans through the front door: the city plan, a lead unit's revision with a row it may not send,
and a second copy, loaded the way the plan assets load them — on DuckDB and PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline.cli import main
from bma_pipeline.columns import PLAN
from bma_pipeline.plans.store import load_plans, read_plan_tables
from bma_pipeline.plans.workbook import write_plan_workbook
from bma_pipeline.validation.invariants import workbook_balance
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import Revision, plan_of_year, sample_catalogue
from bma_sample.plans import _set_mtime, write_sample_plans

AS_OF = datetime(2023, 4, 20, 9, 0)
REVISION = Revision()  # DDS revises P123 from P3: K0203 44,000 → 50,000, 1001 added, K0204 out


def _landing(root: Path) -> Path:
    """The city plan, DDS's revision carrying one policy DDS does not lead (P001, led by PWD),
    and a second copy of the city plan under another name."""
    landing = root / "landing"
    catalog = sample_catalogue()
    write_sample_plans(landing, 2566, catalog, revision=None)
    plan = plan_of_year(catalog, 2566)
    revision = REVISION.apply(plan)
    foreign = plan.policies[plan.policies["policy_code"] == "P001"]
    revision = replace(revision, policies=pd.concat([revision.policies, foreign]))
    path = landing / "DDS" / "plans" / "2566_P123_revision_P3.xlsx"
    write_plan_workbook(revision, path, "ปรับแผน P123")
    _set_mtime(path, REVISION.received_at(2566))
    city = landing / "SED" / "plans" / "2566_city_plan.xlsx"
    copy = city.with_name("2566_city_plan_copy.xlsx")
    shutil.copy2(city, copy)
    return landing


def _load(url: str, landing: Path):
    with connect(url) as wh:
        tables = load_plans(wh, landing, as_of=AS_OF)
        files = wh.query("select path, outcome, reason_code from raw.plan_files order by path")
        quarantine = wh.query(
            "select q.sheet, q.row_number, q.reason_codes, q.message_en, f.path "
            "from raw.plan_quarantined_rows q join raw.plan_files f using (file_id) "
            "order by q.sheet, q.row_number"
        )
        balance = workbook_balance(wh, PLAN)
    return tables, files, quarantine, balance


def _check(url: str, root: Path) -> None:
    tables, files, quarantine, balance = _load(url, _landing(root))
    assert files.to_dict("records") == [
        {
            "path": "DDS/plans/2566_P123_revision_P3.xlsx",
            "outcome": "ingested",
            "reason_code": None,
        },
        {"path": "SED/plans/2566_city_plan.xlsx", "outcome": "ingested", "reason_code": None},
        {
            "path": "SED/plans/2566_city_plan_copy.xlsx",
            "outcome": "duplicate",
            "reason_code": "duplicate_file",
        },
    ]
    # Two versions: the city plan from P1, DDS's revision from P3.
    versions = tables.versions.set_index("sender_unit")
    assert versions.loc["SED", "effective_from"] == 1 and versions.loc["DDS", "effective_from"] == 3
    assert set(tables.versions["fiscal_year"]) == {2566}
    # The row about P001 is DDS's only quarantined row: DDS does not lead P001 (and the file
    # names no lead unit for it either).
    assert quarantine[["sheet", "reason_codes"]].values.tolist() == [
        ["policies", "not_lead_unit,policy_without_lead"]
    ]
    assert "unit DDS does not lead this policy" in quarantine["message_en"].iloc[0]
    assert balance.balanced
    assert balance.sheets.set_index("sheet")["quarantined_rows"].sum() == 1
    # The plan in force, period by period.
    in_force = tables.policy_in_force.merge(
        tables.versions[["plan_version_id", "sender_unit"]], on="plan_version_id"
    )
    p123 = in_force[in_force["policy_code"] == "P123"].sort_values("period_no")
    assert p123["sender_unit"].tolist() == ["SED", "SED", "DDS", "DDS", "DDS", "DDS"]
    p001 = in_force[in_force["policy_code"] == "P001"]
    assert set(p001["sender_unit"]) == {"SED"} and len(p001) == 6
    assert len(in_force) == 216 * 6  # every policy in force in every period
    targets = tables.targets.merge(tables.policy_versions, on=["plan_version_id", "policy_code"])
    dds = targets[(targets["kpi_code"] == "K0203") & (targets["unit_code"] == "DDS")]
    ranges = dds[["valid_from_period", "valid_to_period", "annual_target"]].values.tolist()
    assert sorted(ranges) == [[1, 2, 44000.0], [3, 6, 50000.0]]
    added = targets[(targets["kpi_code"] == "K0203") & (targets["unit_code"] == "1001")]
    assert added[["valid_from_period", "annual_target"]].values.tolist() == [[3, 450.0]]
    retired = targets[targets["kpi_code"] == "K0204"]
    assert set(retired["valid_to_period"]) == {2}


def test_plans_load_version_and_quarantine_on_duckdb(tmp_path):
    _check(str(tmp_path / "warehouse.duckdb"), tmp_path)


@pytest.mark.postgres
def test_plans_load_version_and_quarantine_on_postgres(tmp_path, pg_database_url):
    _check(pg_database_url, tmp_path)


def test_the_same_landing_twice_adds_nothing(tmp_path):
    landing = _landing(tmp_path)
    url = str(tmp_path / "warehouse.duckdb")
    first = _load(url, landing)
    second = _load(url, landing)
    assert len(second[1]) == len(first[1]) == 3
    pd.testing.assert_frame_equal(first[0].policy_in_force, second[0].policy_in_force)


def test_a_revision_from_the_plan_template_round_trips(tmp_path, capsys):
    """SED and a lead unit each: plan-template → edit → check-plan → intake → plan in force."""
    landing = tmp_path / "landing"
    write_sample_plans(landing, 2566, sample_catalogue(), revision=None)
    url = str(tmp_path / "warehouse.duckdb")
    with connect(url) as wh:
        load_plans(wh, landing, as_of=AS_OF)

    # DDS: the policies it leads, from P4; raise one target.
    out = tmp_path / "dds.xlsx"
    args = ["--fiscal-year", "2566", "--period", "4", "--out", str(out), "--warehouse", url]
    assert main(["plan-template", "--unit", "DDS", *args]) == 0
    import openpyxl

    book = openpyxl.load_workbook(out)
    assert book["แผน"].cell(4, 2).value == 4  # effective_from filled in
    targets = book["ค่าเป้าหมาย"]
    policies = {row[0].value for row in book["นโยบาย"].iter_rows(min_row=4) if row[0].value}
    assert "P123" in policies and "P001" not in policies  # only what DDS leads
    edited = None
    for row in targets.iter_rows(min_row=4):
        if row[0].value == "K0203" and row[1].value == "DDS":
            row[2].value, edited = 47000, row[2].row
    assert edited is not None
    book.save(out)
    capsys.readouterr()
    assert main(["check-plan", str(out), "--unit", "DDS", "--warehouse", url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("accepted: ")
    # The same workbook sent by a unit that leads none of it is refused row by row.
    assert main(["check-plan", str(out), "--unit", "PWD", "--warehouse", url]) == 1
    assert "not_lead_unit" in capsys.readouterr().out

    target = landing / "DDS" / "plans" / "2566_revision_P4.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, target)
    _set_mtime(target, datetime(2023, 4, 5, 9, 0))
    with connect(url) as wh:
        load_plans(wh, landing, as_of=datetime(2023, 6, 1))
        tables = read_plan_tables(wh)
    targets_in_force = tables.targets.merge(
        tables.policy_versions, on=["plan_version_id", "policy_code"]
    )
    dds = targets_in_force[
        (targets_in_force["kpi_code"] == "K0203") & (targets_in_force["unit_code"] == "DDS")
    ]
    ranges = dds[["valid_from_period", "valid_to_period", "annual_target"]].values.tolist()
    assert sorted(ranges) == [[1, 3, 44000.0], [4, 6, 47000.0]]

    # SED: the whole city, as it is, is a valid plan too.
    sed = tmp_path / "sed.xlsx"
    sed_args = ["--fiscal-year", "2566", "--out", str(sed), "--warehouse", url]
    assert main(["plan-template", "--unit", "SED", *sed_args]) == 0
    capsys.readouterr()
    assert main(["check-plan", str(sed), "--unit", "SED", "--warehouse", url]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("accepted: ")


def test_each_sender_gets_feedback_on_its_plans(tmp_path):
    import openpyxl

    from bma_pipeline.validation.feedback import write_workbook_feedback

    url = str(tmp_path / "warehouse.duckdb")
    _load(url, _landing(tmp_path))
    with connect(url, read_only=True) as wh:
        written = write_workbook_feedback(wh, PLAN, tmp_path / "feedback")
        again = write_workbook_feedback(wh, PLAN, tmp_path / "feedback")
    assert sorted(p.name for p in written) == ["DDS.xlsx", "SED.xlsx"]
    assert again == []  # nothing changed since
    dds = openpyxl.load_workbook(tmp_path / "feedback" / "plans" / "DDS.xlsx")
    rows = [[c.value for c in row] for row in dds["แถวที่ถูกกักกัน"].iter_rows(min_row=3)]
    assert len(rows) == 1
    path, sheet, row_number, codes, th, en = rows[0]
    assert path == "DDS/plans/2566_P123_revision_P3.xlsx" and sheet == "นโยบาย (policies)"
    assert codes == "not_lead_unit,policy_without_lead" and "P001" in en and "P001" in th
    summary = {r[0].value: r[1].value for r in dds["สรุป"].iter_rows(min_row=4) if r[0].value}
    assert summary["แถวที่ถูกกักกัน (rows quarantined)"] == 1
    sed = openpyxl.load_workbook(tmp_path / "feedback" / "plans" / "SED.xlsx")
    outcomes = [r[2].value for r in sed["ไฟล์ที่ได้รับ"].iter_rows(min_row=3)]
    assert outcomes == ["ingested", "duplicate"]


def test_a_lead_unit_is_judged_against_its_year_s_plan_alone(tmp_path):
    """Two fiscal years, each with the city plan and DDS's revision: the authority each
    revision is judged with (the policies DDS leads) is read from the plans of its own year,
    and equals what the plans of every year give."""
    from bma_pipeline.plans.apply import led_policies_in
    from bma_pipeline.plans.store import plan_tables

    landing = tmp_path / "landing"
    catalog = sample_catalogue()
    for year in (2566, 2567):
        write_sample_plans(landing, year, catalog, revision=REVISION)
    with connect(str(tmp_path / "w.duckdb")) as wh:
        tables = load_plans(wh, landing, as_of=datetime(2024, 9, 1))
        assert sorted(tables.versions["fiscal_year"].tolist()) == [2566, 2566, 2567, 2567]
        assert int(wh.scalar("select count(*) from raw.plan_quarantined_rows")) == 0
        for year in (2566, 2567):
            received = REVISION.received_at(year)
            led = led_policies_in(wh, "DDS", year, REVISION.effective_from, received)
            every_year = plan_tables(wh, as_of=received, before=received)
            in_force = every_year.policy_in_force
            in_force = in_force[
                (in_force["fiscal_year"] == year)
                & (in_force["period_no"] == REVISION.effective_from)
            ].merge(every_year.assignments, on=["plan_version_id", "policy_code"])
            leads = in_force[(in_force["role"] == "H") & (in_force["unit_code"] == "DDS")]
            assert led == frozenset(leads["policy_code"]) and REVISION.policy_code in led
