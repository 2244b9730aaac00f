"""The column registry: every column of what units send and of the ledger, declared once.

What belongs here: each column's canonical name, SQL type, description, Thai and English
labels, the header spellings accepted for it, how intake reads a cell of it (`kind`), its
code format, and whether it holds personal data; the layouts units fill in (`Layout`: which
columns, which are required) and the ledger tables (`Table`, schema `raw`). Everything that
lists columns is derived from here: the ledger DDL (`Table.sql_types`), dbt's source YAML
(`dbt_sources()`, written to `dbt_project/models/staging/_sources_raw.yml` and checked for
drift by a test), the validation contract's columns and dtypes, the header alias table
(`bma_pipeline/intake/headers.py`), the template and feedback headers and the generator.
What does not belong here: rules about values (validation), parsing (intake) or SQL.

A column used in several places (`unit_code` in a submission, in the ledger and in a
message) is one `Column` object referred to by each; never a second declaration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# What units write for "no value"; compared after stripping and case-folding. Intake reads
# such a cell as blank and validation judges it blank: one set for both.
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "–", "#n/a", "n/a", "na", "null", "none"}
)

# How intake reads a cell of an input column (see `bma_pipeline.intake.parse`).
KINDS = ("code", "fiscal_year", "period", "number", "status", "text", "date")


@dataclass(frozen=True)
class Column:
    """One column: its name everywhere, its SQL type, what it means and how people see it."""

    name: str
    sql_type: str
    description: str
    label_th: str | None = None
    label_en: str | None = None  # the English sub-label under a Thai header
    aliases: tuple[str, ...] = ()  # header spellings accepted besides name and label_th
    kind: str = "text"
    pattern: str | None = None  # a well-formed code (regular expression)
    format_th: str | None = None  # the code format, as a message describes it
    format_en: str | None = None
    personal: bool = False  # personal data: stays in schema raw, never in marts
    missing_markers: frozenset[str] = MISSING_MARKERS
    # An enumeration: the allowed values and their Thai labels, in display order.
    values: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: unknown kind {self.kind!r}")

    @property
    def header_spellings(self) -> tuple[str, ...]:
        """Every header text that names this column in a file."""
        return (self.name, *((self.label_th,) if self.label_th else ()), *self.aliases)

    @property
    def english(self) -> str:
        return self.label_en or self.name.replace("_", " ")

    @property
    def allowed(self) -> tuple[str, ...]:
        """The allowed values of an enumeration (empty: any value)."""
        return tuple(value for value, _ in self.values)

    @property
    def labels_th(self) -> dict[str, str]:
        """value → its Thai label, for an enumeration."""
        return dict(self.values)

    def raw(self) -> Column:
        """The column holding this column's original cell text (`raw_<name>`)."""
        return Column(
            f"raw_{self.name}",
            "varchar",
            f"Original cell text of {self.name}, null when blank or absent.",
            label_th=f"{self.label_th} (ที่ส่ง)" if self.label_th else None,
            label_en=f"{self.english} as sent",
            personal=self.personal,
        )


@dataclass(frozen=True)
class Layout:
    """A table units fill in: its columns in template order and which of them are required."""

    name: str
    label_th: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]
    # A row is the header when it names at least this many required columns.
    min_required_in_header: int = 3

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        unknown = set(self.required) - set(names)
        if len(set(names)) != len(names) or unknown:
            raise ValueError(f"layout {self.name}: duplicate or unknown required columns")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def is_required(self, name: str) -> bool:
        return name in self.required

    @property
    def optional(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.name not in self.required)


@dataclass(frozen=True)
class Table:
    """A ledger table: its place in the warehouse and its columns in order."""

    schema: str
    name: str
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def sql_types(self) -> dict[str, str]:
        """Column → SQL type, in table order: the DDL."""
        return {column.name: column.sql_type for column in self.columns}

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def columns_of_type(self, *sql_types: str) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.sql_type in sql_types)


# ---------------------------------------------------------------- codes and periods

UNIT_CODE = Column(
    "unit_code",
    "varchar",
    "The sending unit: a district office 1001–1050 or a department's three-letter code.",
    label_th="รหัสหน่วยงาน",
    label_en="unit code",
    aliases=("รหัสหน่วย", "รหัสสำนักงานเขต", "รหัสเขต", "unit code", "unit id"),
    kind="code",
    pattern=r"^(10(0[1-9]|[1-4][0-9]|50)|[A-Z]{3})$",
    format_th="1001–1050 หรืออักษรภาษาอังกฤษตัวพิมพ์ใหญ่ 3 ตัว เช่น DDS",
    format_en="1001–1050 or three capital letters such as DDS",
)
FISCAL_YEAR = Column(
    "fiscal_year",
    "integer",
    "Fiscal year as a Buddhist-Era year (2566 = 1 Oct 2022 – 30 Sep 2023).",
    label_th="ปีงบประมาณ",
    label_en="fiscal year",
    aliases=("ปีงบประมาณ พ.ศ.", "ปีงบ", "ปี งปม.", "fiscal year", "fiscal year (BE)", "FY"),
    kind="fiscal_year",
)
PERIOD_NO = Column(
    "period_no",
    "integer",
    "Bi-monthly reporting period of the fiscal year, 1–6 (P1 Oct–Nov … P6 Aug–Sep).",
    label_th="งวดที่",
    label_en="period",
    aliases=(
        "งวด",
        "งวดการรายงาน",
        "รอบการรายงาน",
        "period no",
        "period number",
        "period",
        "period key",
    ),
    kind="period",
)
PERIOD_KEY_FISCAL_YEAR = Column(
    "period_key_fiscal_year",
    "integer",
    "The fiscal year of a period written as a key like 2566-P2, else null.",
)
KPI_CODE = Column(
    "kpi_code",
    "varchar",
    "KPI (ตัวชี้วัด) code, K and four digits.",
    label_th="รหัสตัวชี้วัด",
    label_en="KPI code",
    aliases=("รหัส KPI", "KPI code", "KPI id", "indicator code"),
    kind="code",
    pattern=r"^K\d{4}$",
    format_th="K ตามด้วยตัวเลข 4 หลัก เช่น K0001",
    format_en="K and four digits such as K0001",
)

# ---------------------------------------------------------------- reported values

ACTUAL_VALUE = Column(
    "actual_value",
    "double precision",
    "The period's value (sum KPIs) or the level at the period's end (last KPIs); ≥ 0.",
    label_th="ผลการดำเนินงาน",
    label_en="actual value",
    aliases=("ผลดำเนินงาน", "ผลการดำเนินการ", "ผลงาน", "actual value", "actual", "result"),
    kind="number",
)
BUDGET_SPENT_BAHT = Column(
    "budget_spent_baht",
    "double precision",
    "Budget spent in the period, in baht; optional, ≥ 0.",
    label_th="งบประมาณที่ใช้ (บาท)",
    label_en="budget spent (baht)",
    aliases=(
        "งบประมาณที่ใช้",
        "งบประมาณที่ใช้ไป (บาท)",
        "งบประมาณที่ใช้ไป",
        "งบที่ใช้ (บาท)",
        "budget spent (baht)",
        "budget spent",
        "budget_spent",
        "budget (baht)",
    ),
    kind="number",
)
STATUS = Column(
    "status",
    "varchar",
    "Work status: not_started, in_progress, completed or delayed (Thai words accepted).",
    label_th="สถานะ",
    label_en="status",
    aliases=("สถานะการดำเนินงาน",),
    kind="status",
    values=(
        ("not_started", "ยังไม่เริ่ม"),
        ("in_progress", "กำลังดำเนินการ"),
        ("completed", "แล้วเสร็จ"),
        ("delayed", "ล่าช้า"),
    ),
)
OBSTACLES = Column(
    "obstacles",
    "varchar",
    "Obstacles (ปัญหาอุปสรรค) reported, free text; goes to the lead unit's meeting pack.",
    label_th="ปัญหาอุปสรรค",
    label_en="obstacles",
    aliases=("ปัญหา/อุปสรรค", "ปัญหาและอุปสรรค", "obstacle", "issues"),
)
REPORTED_ON = Column(
    "reported_on",
    "date",
    "The date the unit wrote on its report (BE or CE accepted); optional.",
    label_th="วันที่รายงาน",
    label_en="reported on",
    aliases=("reported on", "report date", "date reported"),
    kind="date",
)
REPORTER = Column(
    "reporter",
    "varchar",
    "Name and phone of the person reporting: personal data, stays in raw.",
    label_th="ผู้รายงาน",
    label_en="reporter",
    aliases=("ชื่อผู้รายงาน", "reported by"),
    personal=True,
)

SUBMISSION = Layout(
    "submission",
    "แบบรายงาน",
    columns=(
        UNIT_CODE,
        FISCAL_YEAR,
        PERIOD_NO,
        KPI_CODE,
        ACTUAL_VALUE,
        BUDGET_SPENT_BAHT,
        STATUS,
        OBSTACLES,
        REPORTED_ON,
        REPORTER,
    ),
    required=("unit_code", "fiscal_year", "period_no", "kpi_code", "actual_value"),
)

# Informative columns of the unit's template (filled in for the person, ignored by intake).
KPI_NAME_TH = Column("kpi_name_th", "varchar", "The KPI's Thai name.", label_th="ชื่อตัวชี้วัด")
MEASURE_UNIT_TH = Column("measure_unit_th", "varchar", "Measure unit.", label_th="หน่วยนับ")
ROLE = Column(
    "role", "varchar", "H: lead unit; R: supporting unit.", label_th="บทบาท (H/R)", label_en="role"
)
ANNUAL_TARGET = Column(
    "annual_target",
    "double precision",
    "The unit's target for the KPI over the fiscal year.",
    label_th="เป้าหมายทั้งปี",
    label_en="annual target",
)

# ---------------------------------------------------------------- the ledger (schema raw)

RAW_SCHEMA = "raw"

FILE_ID = Column("file_id", "bigint", "Ledger id of a received file, increasing.")
ROW_NUMBER = Column(
    "row_number",
    "integer",
    "1-based row in the original file or sheet, as Excel shows it.",
    label_th="แถวที่",
    label_en="row",
)
PATH = Column(
    "path",
    "varchar",
    "Path relative to the landing folder, '/'-separated.",
    label_th="ไฟล์",
    label_en="file",
)
UNIT_FOLDER = Column(
    "unit_folder", "varchar", "The landing sub-folder the file came from: the sending unit."
)
RECEIVED_AT = Column(
    "received_at",
    "timestamp",
    "Asia/Bangkok wall time (the file's modification time in the landing folder).",
    label_th="เวลาที่ได้รับ",
    label_en="received at",
)
OUTCOME = Column(
    "outcome",
    "varchar",
    "ingested, duplicate (same bytes as an earlier file) or rejected (with a reason).",
    label_th="ผลการรับไฟล์",
    label_en="outcome",
)
REASON = Column(
    "reason",
    "varchar",
    "Why a file was not ingested, in English and Thai; null for ingested files.",
    label_th="เหตุผล",
    label_en="reason",
)
N_ROWS = Column(
    "n_rows", "integer", "Data rows kept from the file.", label_th="จำนวนแถว", label_en="rows"
)

SUBMISSION_FILES = Table(
    RAW_SCHEMA,
    "submission_files",
    "One row per received file, including duplicates and rejected files.",
    (
        FILE_ID,
        PATH,
        UNIT_FOLDER,
        Column("file_name", "varchar", "The file's name."),
        Column("sha256", "varchar", "SHA-256 of the file's bytes: the same bytes are one file."),
        Column("bytes", "bigint", "Size on disk."),
        RECEIVED_AT,
        OUTCOME,
        Column("reason_code", "varchar", "Stable code of a file-level rejection, else null."),
        REASON,
        N_ROWS,
        Column(
            "n_skipped_rows",
            "integer",
            "Rows read but not data: blank rows, the description row under the header, TOTAL.",
        ),
        Column("ingested_at", "timestamp", "When intake recorded the file (Bangkok time)."),
        Column("validated_at", "timestamp", "When validation judged its rows; null until then."),
    ),
)

RAW_CELLS = Column(
    "raw_cells",
    "varchar",
    "JSON of original header → cell text; contains personal data, stays in raw.",
    personal=True,
)

SUBMISSION_ROWS = Table(
    RAW_SCHEMA,
    "submission_rows",
    "One row per data row of every ingested file, original text and parsed values.",
    (
        FILE_ID,
        ROW_NUMBER,
        UNIT_FOLDER,
        RAW_CELLS,
        *(column.raw() for column in SUBMISSION.columns),
        UNIT_CODE,
        FISCAL_YEAR,
        PERIOD_NO,
        PERIOD_KEY_FISCAL_YEAR,
        KPI_CODE,
        ACTUAL_VALUE,
        BUDGET_SPENT_BAHT,
        STATUS,
        OBSTACLES,
        REPORTED_ON,
        REPORTER,
    ),
)

REASON_CODES = Column(
    "reason_codes",
    "varchar",
    "Every reason the row failed, as stable codes, comma-separated and sorted.",
    label_th="รหัสเหตุผล",
    label_en="reason codes",
)
MESSAGE_TH = Column(
    "message_th",
    "varchar",
    "One Thai sentence per reason, naming the column and the value.",
    label_th="คำอธิบาย",
    label_en="message (Thai)",
)
MESSAGE_EN = Column(
    "message_en",
    "varchar",
    "One English sentence per reason, naming the column and the value.",
    label_th="Explanation",
    label_en="message (English)",
)

QUARANTINED_ROWS = Table(
    RAW_SCHEMA,
    "quarantined_rows",
    "One row per raw row that failed validation, with every reason.",
    (
        FILE_ID,
        ROW_NUMBER,
        REASON_CODES,
        MESSAGE_TH,
        MESSAGE_EN,
        Column("quarantined_at", "timestamp", "When validation quarantined the row."),
    ),
)

LEDGER_TABLES: tuple[Table, ...] = (SUBMISSION_FILES, SUBMISSION_ROWS, QUARANTINED_ROWS)

RAW_SOURCE_DESCRIPTION = (
    "The ledger written by bma_pipeline/intake and bma_pipeline/validation. Holds personal "
    "data (reporter names and phones): never granted to BI, and no reporter column leaves "
    "this schema."
)


def personal_columns() -> set[str]:
    """Names of the columns that hold personal data, in any ledger table."""
    return {c.name for table in LEDGER_TABLES for c in table.columns if c.personal}


def iter_columns() -> Iterator[Column]:
    """Every declared column of the layouts and the ledger, each once."""
    seen: set[int] = set()
    for columns in (SUBMISSION.columns, *(t.columns for t in LEDGER_TABLES)):
        for column in columns:
            if id(column) not in seen:
                seen.add(id(column))
                yield column


def dbt_sources() -> dict[str, Any]:
    """dbt's source YAML for schema raw, generated from the ledger tables."""

    def column_yaml(column: Column) -> dict[str, str]:
        return {"name": column.name, "description": column.description}

    return {
        "version": 2,
        "sources": [
            {
                "name": RAW_SCHEMA,
                "schema": RAW_SCHEMA,
                "description": RAW_SOURCE_DESCRIPTION,
                "tables": [
                    {
                        "name": table.name,
                        "description": table.description,
                        "columns": [column_yaml(c) for c in table.columns],
                    }
                    for table in LEDGER_TABLES
                ],
            }
        ],
    }


SOURCES_FILE = "dbt_project/models/staging/_sources_raw.yml"
SOURCES_HEADER = (
    "# Generated from bma_pipeline/columns.py by `make dbt-sources`: edit the registry, not this"
    " file.\n# A test fails when the two disagree.\n"
)


def dbt_sources_text() -> str:
    """The text of `SOURCES_FILE`: the header comment and the YAML (Thai kept as is)."""
    import yaml

    body = yaml.safe_dump(dbt_sources(), allow_unicode=True, sort_keys=False, width=100)
    return SOURCES_HEADER + body


def write_dbt_sources(root: Path | None = None) -> Path:
    """Write `SOURCES_FILE` under the repository root (`make dbt-sources`)."""
    root = root or Path(__file__).resolve().parents[1]
    path = root / SOURCES_FILE
    path.write_text(dbt_sources_text(), encoding="utf-8")
    return path
