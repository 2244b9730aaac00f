"""The column registry is the one declaration: what is derived from it agrees with it, and a
missing marker means blank to intake and validation alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bma_pipeline import columns
from bma_pipeline.columns import (
    LEDGER_TABLES,
    MINUTES,
    MISSING_MARKERS,
    PLAN,
    SUBMISSION,
    SUBMISSION_ROWS,
    dbt_sources_text,
)
from bma_pipeline.intake.headers import canonical_column, normalise_header
from bma_pipeline.intake.ledger import ensure_ledger_tables
from bma_pipeline.intake.parse import parse_submission_rows
from bma_pipeline.intake.workbook_ledger import ensure_workbook_tables
from bma_pipeline.validation import validate_submission_rows
from bma_pipeline.validation.apply import ensure_quarantine_table
from bma_pipeline.warehouse import connect

from .intake.test_parse import table_of
from .validation.test_quarantine import CATALOG

REPO = Path(__file__).resolve().parents[1]
STAGING = REPO / "dbt_project" / "models" / "staging"
# A well-formed row of the small validation catalogue (unit 1001 reports K0001 in 2567-P2).
GOOD_CELLS = {
    "รหัสหน่วยงาน": "1001",
    "ปีงบประมาณ": "2567",
    "งวดที่": "2",
    "รหัสตัวชี้วัด": "K0001",
    "ผลการดำเนินงาน": "12",
    "งบประมาณที่ใช้ (บาท)": "1,000",
    "สถานะ": "กำลังดำเนินการ",
    "ปัญหาอุปสรรค": "ฝนตก",
    "วันที่รายงาน": "15/12/2566",
    "ผู้รายงาน": "สมชาย",
}


def test_committed_dbt_sources_are_the_registry_s():
    committed = (REPO / columns.SOURCES_FILE).read_text(encoding="utf-8")
    assert committed == dbt_sources_text(), "run `make dbt-sources` and commit the result"


def test_every_ledger_column_is_in_the_dbt_sources_once():
    import yaml

    sources = yaml.safe_load((REPO / columns.SOURCES_FILE).read_text(encoding="utf-8"))["sources"]
    raw = next(source for source in sources if source["name"] == "raw")
    declared = {t["name"]: [c["name"] for c in t["columns"]] for t in raw["tables"]}
    assert declared == {t.name: list(t.names) for t in LEDGER_TABLES}
    assert "n_skipped_rows" in declared["submission_files"]


def test_the_ledger_ddl_is_the_registry_s(tmp_path):
    with connect(tmp_path / "w.duckdb") as wh:
        ensure_ledger_tables(wh)
        ensure_quarantine_table(wh)
        for kind in (PLAN, MINUTES):
            ensure_workbook_tables(wh, kind)
        for table in LEDGER_TABLES:
            found = wh.query(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = :schema and table_name = :table order by ordinal_position",
                {"schema": table.schema, "table": table.name},
            )
            assert list(found["column_name"]) == list(table.names), table.name


def test_every_column_is_described_and_every_input_column_labelled():
    for column in columns.iter_columns():
        assert column.description.strip(), column.name
    for column in SUBMISSION.columns:
        assert column.label_th and canonical_column(column.label_th) == column.name
        for spelling in column.header_spellings:
            assert canonical_column(spelling) == column.name, spelling


def test_no_header_spelling_names_two_columns():
    seen: dict[str, str] = {}
    for column in SUBMISSION.columns:
        for spelling in column.header_spellings:
            assert seen.setdefault(normalise_header(spelling), column.name) == column.name


def test_personal_data_is_declared_and_staging_never_selects_it():
    personal = columns.personal_columns()
    assert personal == {"raw_cells", "raw_reporter", "reporter"}
    staging_sql = (STAGING / "stg_raw__submission_rows.sql").read_text(encoding="utf-8")
    selected = staging_sql.split("renamed as (", 1)[1]
    for name in personal:
        assert f" as {name}" not in selected, name


def test_submission_rows_hold_a_raw_text_column_per_input_column():
    names = set(SUBMISSION_ROWS.names)
    for column in SUBMISSION.columns:
        assert column.name in names and f"raw_{column.name}" in names


MARKERS = sorted(marker for marker in MISSING_MARKERS if marker)


@pytest.mark.parametrize("column", [c.name for c in SUBMISSION.optional])
@pytest.mark.parametrize("marker", [*MARKERS, "NONE", "Null", " n/a "])
def test_a_missing_marker_in_an_optional_column_is_blank_to_intake_and_validation(
    column: str, marker: str
):
    header = str(SUBMISSION.column(column).label_th)
    cells = {**GOOD_CELLS, header: marker}
    rows = parse_submission_rows(table_of(list(cells), [list(cells.values())]), "1001")
    rows.insert(0, "file_id", pd.array([7], dtype="Int64"))
    assert rows.at[0, column] is None or pd.isna(rows.at[0, column])
    assert rows.at[0, f"raw_{column}"] == marker  # the original text is kept
    quarantine = validate_submission_rows(rows, CATALOG)
    assert quarantine.empty, quarantine[["reason_codes", "message_en"]].to_dict("records")


@pytest.mark.parametrize("marker", ["none", "null", "#N/A", "-"])
def test_a_missing_marker_in_a_required_column_is_a_missing_value(marker: str):
    cells = {**GOOD_CELLS, "ผลการดำเนินงาน": marker}
    rows = parse_submission_rows(table_of(list(cells), [list(cells.values())]), "1001")
    rows.insert(0, "file_id", pd.array([7], dtype="Int64"))
    quarantine = validate_submission_rows(rows, CATALOG)
    assert quarantine["reason_codes"].tolist() == ["missing_value"]
