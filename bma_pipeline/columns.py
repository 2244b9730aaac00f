"""The column registry: every column of what units send and of the ledger, declared once.

What belongs here: each column's canonical name, SQL type, description, Thai and English
labels, the header spellings accepted for it, how intake reads a cell of it (`kind`), its
code format, and whether it holds personal data; the layouts units fill in (`Layout`: which
columns, which are required) and the ledger tables (`Table`, schema `raw`). Everything that
lists columns is derived from here: the ledger DDL (`Table.sql_types`), dbt's source YAML
(`dbt_sources()`, written to `dbt_project/models/staging/_sources.yml` and checked for
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

# How intake reads a cell of an input column (see `bma_pipeline.intake.parse`): a code, a BE
# fiscal year, a period (1–6, `P2`, `2566-P2`), a number, one of an enumeration's values, free
# text, a date, a yes/no, or a comma-separated list.
KINDS = ("code", "fiscal_year", "period", "number", "enum", "text", "date", "boolean", "list")


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
    # An enumeration: the allowed values and their Thai labels, in display order, and other
    # spellings accepted for each value.
    values: tuple[tuple[str, str], ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # A period column: the column that keeps the fiscal year of a key like 2566-P2.
    key_year: str | None = None

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

    def spellings_of(self, value: str) -> tuple[str, ...]:
        """Every spelling accepted for one value of an enumeration: code, Thai label, synonyms."""
        return (value, self.labels_th[value], *dict(self.synonyms).get(value, ()))

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
    """A table units fill in: its columns in template order and which of them are required.

    A workbook's sheet is found by its name (`name`, `label_th` or `sheet_aliases`, compared
    like headers); a lone submission sheet by its header row.
    """

    name: str
    label_th: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]
    # A row is the header when it names at least this many required columns.
    min_required_in_header: int = 3
    sheet_aliases: tuple[str, ...] = ()
    label_en: str | None = None

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return (self.name, self.label_th, *self.sheet_aliases)

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
    key_year="period_key_fiscal_year",
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
    kind="enum",
    values=(
        ("not_started", "ยังไม่เริ่ม"),
        ("in_progress", "กำลังดำเนินการ"),
        ("completed", "แล้วเสร็จ"),
        ("delayed", "ล่าช้า"),
    ),
    synonyms=(
        ("not_started", ("ยังไม่เริ่มดำเนินการ", "ยังไม่ดำเนินการ", "not started")),
        ("in_progress", ("อยู่ระหว่างดำเนินการ", "ระหว่างดำเนินการ", "in progress", "ongoing")),
        ("completed", ("ดำเนินการแล้วเสร็จ", "เสร็จสิ้น", "เสร็จแล้ว", "complete", "done")),
        ("delayed", ("ล่าช้ากว่าแผน", "ล่าช้ากว่ากำหนด", "late")),
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

# ---------------------------------------------------------------- action plans (DOMAIN §6, §8)

POLICY_CODE = Column(
    "policy_code",
    "varchar",
    "Policy (นโยบาย) code, P and three digits.",
    label_th="รหัสนโยบาย",
    label_en="policy code",
    aliases=("policy code", "policy id", "policy"),
    kind="code",
    pattern=r"^P\d{3}$",
    format_th="P ตามด้วยตัวเลข 3 หลัก เช่น P001",
    format_en="P and three digits such as P001",
)
PROJECT_CODE = Column(
    "project_code",
    "varchar",
    "Project or activity (โครงการ/กิจกรรม) code: its policy's code, a dash and a number.",
    label_th="รหัสโครงการ",
    label_en="project code",
    aliases=("รหัสโครงการ/กิจกรรม", "รหัสกิจกรรม", "project code", "project id", "project"),
    kind="code",
    pattern=r"^P\d{3}-\d{1,3}$",
    format_th="รหัสนโยบาย ขีด และลำดับ เช่น P001-1",
    format_en="the policy code, a dash and a number such as P001-1",
)
GROUP_CODE = Column(
    "group_code",
    "varchar",
    "Mission group (กลุ่มภารกิจ) the policy is steered in: G1, G2 or G3.",
    label_th="กลุ่มภารกิจ",
    label_en="mission group",
    aliases=("รหัสกลุ่มภารกิจ", "mission group", "group"),
    kind="code",
    pattern=r"^G\d{1,2}$",
    format_th="G และตัวเลข เช่น G1",
    format_en="G and a number such as G1",
)
TITLE_TH = Column(
    "title_th", "varchar", "Title in Thai.", label_th="ชื่อ (ภาษาไทย)", aliases=("ชื่อ", "title")
)
TITLE_EN = Column(
    "title_en", "varchar", "Title in English.", label_th="ชื่อ (ภาษาอังกฤษ)", label_en="title"
)
DIMENSIONS = Column(
    "dimensions",
    "varchar",
    "The policy's dimensions (มิติ), comma-separated codes or Thai names; the first is primary.",
    label_th="มิติ",
    label_en="dimensions",
    aliases=("มิตินโยบาย", "dimension"),
    kind="list",
)
IS_KEY_PROJECT = Column(
    "is_key_project",
    "boolean",
    "The policy is a key project (โครงการสำคัญ) of the fiscal year, done first.",
    label_th="โครงการสำคัญ",
    label_en="key project",
    aliases=("นโยบายสำคัญ", "key project"),
    kind="boolean",
)
KPI_NAME_TH = Column(
    "name_th", "varchar", "The KPI's name in Thai.", label_th="ชื่อตัวชี้วัด", aliases=("ตัวชี้วัด",)
)
KPI_NAME_EN = Column(
    "name_en",
    "varchar",
    "The KPI's name in English.",
    label_th="ชื่อตัวชี้วัด (ภาษาอังกฤษ)",
    label_en="KPI name",
)
MEASURE_UNIT_TH = Column(
    "measure_unit_th", "varchar", "Measure unit in Thai (กม., คลอง, ร้อยละ…).", label_th="หน่วยนับ"
)
MEASURE_UNIT_EN = Column(
    "measure_unit_en",
    "varchar",
    "Measure unit in English.",
    label_th="หน่วยนับ (ภาษาอังกฤษ)",
    label_en="measure unit",
)
DIRECTION = Column(
    "direction",
    "varchar",
    "increase: more is better; decrease: less is better (e.g. complaint response days).",
    label_th="ทิศทาง",
    label_en="direction",
    kind="enum",
    values=(("increase", "ยิ่งมากยิ่งดี"), ("decrease", "ยิ่งน้อยยิ่งดี")),
    synonyms=(("increase", ("เพิ่มขึ้น", "มาก", "up")), ("decrease", ("ลดลง", "น้อย", "down"))),
)
AGGREGATION = Column(
    "aggregation",
    "varchar",
    "sum: the period values add up over the year; last: the latest value is the level.",
    label_th="การรวมผล",
    label_en="aggregation",
    kind="enum",
    values=(("sum", "สะสม"), ("last", "ค่าล่าสุด")),
    synonyms=(("sum", ("ผลรวม", "รวม", "total")), ("last", ("ล่าสุด", "ค่า ณ สิ้นงวด", "level"))),
)
IS_PERCENTAGE = Column(
    "is_percentage",
    "boolean",
    "The KPI is a percentage (its values are 0–100).",
    label_th="เป็นร้อยละ",
    label_en="percentage",
    aliases=("ร้อยละ", "percentage", "percent"),
    kind="boolean",
)
BASELINE_VALUE = Column(
    "baseline_value",
    "double precision",
    "A last KPI's level when the year began; progress is then measured from it.",
    label_th="ค่าฐาน",
    label_en="baseline",
    aliases=("ค่าฐานตั้งต้น", "baseline", "baseline value"),
    kind="number",
)
KPI_TYPE = Column(
    "kpi_type",
    "varchar",
    "The KPI's type as the plan names it (output, outcome…), free text.",
    label_th="ประเภทตัวชี้วัด",
    label_en="KPI type",
    aliases=("ประเภท", "type"),
)
ROLE = Column(
    "role",
    "varchar",
    "H: lead unit (หน่วยงานรับผิดชอบหลัก); R: supporting unit (หน่วยงานสนับสนุน).",
    label_th="บทบาท (H/R)",
    label_en="role",
    aliases=("บทบาท", "role"),
    kind="enum",
    values=(("H", "หน่วยงานรับผิดชอบหลัก"), ("R", "หน่วยงานสนับสนุน")),
    synonyms=(("H", ("หลัก", "lead", "leader")), ("R", ("สนับสนุน", "support", "supporting"))),
)
ANNUAL_TARGET = Column(
    "annual_target",
    "double precision",
    "The unit's target for the KPI over the fiscal year (≥ 0).",
    label_th="เป้าหมายทั้งปี",
    label_en="annual target",
    aliases=("ค่าเป้าหมาย", "ค่าเป้าหมายทั้งปี", "เป้าหมาย", "target", "annual target"),
    kind="number",
)
PERIOD_TARGETS = tuple(
    Column(
        f"p{n}",
        "double precision",
        f"Target for period {n} alone (sum KPIs) or the level due at its end (last KPIs).",
        label_th=f"เป้าหมายงวดที่ {n}",
        label_en=f"P{n} target",
        aliases=(f"เป้าหมายงวด {n}", f"งวดที่ {n}", f"P{n} target"),
        kind="number",
    )
    for n in range(1, 7)
)
EFFECTIVE_FROM = Column(
    "effective_from",
    "integer",
    "The first period (1–6) from which the plan is in force; blank means 1.",
    label_th="มีผลตั้งแต่งวดที่",
    label_en="in force from period",
    aliases=("มีผลตั้งแต่งวด", "เริ่มใช้ตั้งแต่งวดที่", "effective from", "in force from"),
    kind="period",
    key_year="effective_from_key_year",
)

PLAN_SHEET = Layout(
    "plan",
    "แผน",
    columns=(FISCAL_YEAR, EFFECTIVE_FROM),
    required=("fiscal_year",),
    sheet_aliases=("แผนปฏิบัติการ", "action plan"),
    label_en="action plan",
)
POLICIES_SHEET = Layout(
    "policies",
    "นโยบาย",
    columns=(POLICY_CODE, TITLE_TH, TITLE_EN, GROUP_CODE, DIMENSIONS, IS_KEY_PROJECT),
    required=("policy_code", "title_th", "group_code", "dimensions"),
    label_en="policies",
)
PROJECTS_SHEET = Layout(
    "projects",
    "โครงการ",
    columns=(PROJECT_CODE, POLICY_CODE, TITLE_TH, TITLE_EN),
    required=("project_code", "policy_code", "title_th"),
    sheet_aliases=("โครงการ/กิจกรรม", "โครงการและกิจกรรม", "กิจกรรม", "activities"),
    label_en="projects and activities",
)
KPIS_SHEET = Layout(
    "kpis",
    "ตัวชี้วัด",
    columns=(
        KPI_CODE,
        POLICY_CODE,
        PROJECT_CODE,
        KPI_NAME_TH,
        KPI_NAME_EN,
        MEASURE_UNIT_TH,
        MEASURE_UNIT_EN,
        DIRECTION,
        AGGREGATION,
        IS_PERCENTAGE,
        BASELINE_VALUE,
        KPI_TYPE,
    ),
    required=(
        "kpi_code",
        "policy_code",
        "name_th",
        "measure_unit_th",
        "direction",
        "aggregation",
    ),
    sheet_aliases=("KPI",),
    label_en="KPIs",
)
ASSIGNMENTS_SHEET = Layout(
    "assignments",
    "หน่วยงานรับผิดชอบ",
    columns=(POLICY_CODE, UNIT_CODE, ROLE),
    required=("policy_code", "unit_code", "role"),
    sheet_aliases=("การมอบหมาย", "หน่วยงาน H R", "H/R"),
    label_en="assignments (H/R)",
)
TARGETS_SHEET = Layout(
    "targets",
    "ค่าเป้าหมาย",
    columns=(KPI_CODE, UNIT_CODE, ANNUAL_TARGET, *PERIOD_TARGETS),
    required=("kpi_code", "unit_code", "annual_target"),
    sheet_aliases=("เป้าหมาย",),
    label_en="targets",
)
PLAN_SHEETS: tuple[Layout, ...] = (
    PLAN_SHEET,
    POLICIES_SHEET,
    PROJECTS_SHEET,
    KPIS_SHEET,
    ASSIGNMENTS_SHEET,
    TARGETS_SHEET,
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
    "ingested; duplicate (same bytes as an earlier file); rejected (with a reason); incomplete "
    "(seen while it may still be written: no rows, taken once it settles); superseded_partial "
    "(ingested while half written: its bytes begin a later file at its path, whose rows count).",
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


MTIME_NS = Column(
    "mtime_ns",
    "bigint",
    "The file's modification time in nanoseconds as intake saw it: with path and size, how the "
    "landing sensor knows a file is in the ledger without reading it.",
)


def _files_table(name: str, what: str, *extra: Column) -> Table:
    """A ledger of received files (submissions, plans, minutes): one row per file."""
    return Table(
        RAW_SCHEMA,
        name,
        f"One row per received {what}, including duplicates and rejected files.",
        (
            FILE_ID,
            PATH,
            UNIT_FOLDER,
            Column("file_name", "varchar", "The file's name."),
            Column(
                "sha256", "varchar", "SHA-256 of the file's bytes: the same bytes are one file."
            ),
            Column("bytes", "bigint", "Size on disk."),
            RECEIVED_AT,
            OUTCOME,
            Column("reason_code", "varchar", "Stable code of a file-level rejection, else null."),
            REASON,
            N_ROWS,
            Column(
                "n_skipped_rows",
                "integer",
                "Rows read but not data: blank rows, a description row under the header, TOTAL.",
            ),
            Column("ingested_at", "timestamp", "When intake recorded the file (Bangkok time)."),
            Column(
                "validated_at", "timestamp", "When validation judged its rows; null until then."
            ),
            *extra,
        ),
    )


PLAN_STATE = Column(
    "plan_state",
    "varchar",
    "Fingerprint of the plan in force the file's rows were judged against; when the plan in "
    "force for its periods changes, the file is judged again.",
)
SUBMISSION_FILES = _files_table("submission_files", "file", PLAN_STATE, MTIME_NS)

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

QUARANTINED_AT = Column("quarantined_at", "timestamp", "When validation quarantined the row.")

SUPERSEDED_AT = Column(
    "superseded_at",
    "timestamp",
    "When a later judgment of the file replaced this verdict (the plan in force changed); "
    "null for the current verdict.",
)
QUARANTINED_ROWS = Table(
    RAW_SCHEMA,
    "quarantined_rows",
    "One row per raw row that failed validation, with every reason; earlier verdicts stay "
    "with superseded_at set.",
    (FILE_ID, ROW_NUMBER, REASON_CODES, MESSAGE_TH, MESSAGE_EN, QUARANTINED_AT, SUPERSEDED_AT),
)
SUBMISSION_VERDICTS = Table(
    RAW_SCHEMA,
    "submission_verdicts",
    "One row per judgment of a file: when, against which plan state, rows and quarantined.",
    (
        FILE_ID,
        Column("judged_at", "timestamp", "When validation judged the file."),
        PLAN_STATE,
        N_ROWS,
        Column("n_quarantined", "integer", "Rows of the file this judgment quarantined."),
    ),
)

SHEET = Column(
    "sheet",
    "varchar",
    "The workbook sheet the row comes from, by its canonical name (policies, kpis, …).",
    label_th="แผ่นงาน",
    label_en="sheet",
)


@dataclass(frozen=True)
class Workbook:
    """A kind of multi-sheet workbook units send (action plans, meeting minutes): where it
    lands, its sheets, and its ledger (files, rows of every sheet, quarantined rows)."""

    name: str
    folder: str  # landing/<unit_code>/<folder>/
    sheets: tuple[Layout, ...]
    files: Table
    rows: Table
    quarantine: Table

    @property
    def header_sheet(self) -> Layout:
        """The sheet every workbook of the kind holds (the plan's year, the meeting's period)."""
        return self.sheets[0]

    def sheet(self, name: str) -> Layout:
        return next(layout for layout in self.sheets if layout.name == name)

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.files, self.rows, self.quarantine)


def _union(sheets: tuple[Layout, ...]) -> tuple[Column, ...]:
    """Every column of the sheets once, in order of first appearance; a name is one column."""
    found: dict[str, Column] = {}
    for layout in sheets:
        for column in layout.columns:
            if found.setdefault(column.name, column) != column:
                raise ValueError(f"two declarations of column {column.name!r}")
            if column.key_year:
                found.setdefault(column.key_year, _key_year_column(column))
    return tuple(found.values())


def _key_year_column(column: Column) -> Column:
    return Column(
        str(column.key_year),
        "integer",
        f"The fiscal year of {column.name} when written as a key like 2566-P2, else null.",
    )


def _workbook(name: str, folder: str, what: str, sheets: tuple[Layout, ...]) -> Workbook:
    columns = _union(sheets)
    inputs = [c for c in columns if any(c in layout.columns for layout in sheets)]
    rows = Table(
        RAW_SCHEMA,
        f"{name}_rows",
        f"One row per data row of every sheet of every ingested {what}: the sheet, the "
        "original cells, the original text of each column and its parsed value (columns of "
        "other sheets are null).",
        (FILE_ID, SHEET, ROW_NUMBER, RAW_CELLS, *(c.raw() for c in inputs), *columns),
    )
    quarantine = Table(
        RAW_SCHEMA,
        f"{name}_quarantined_rows",
        f"One row per row of a {what} that failed validation, with every reason.",
        (FILE_ID, SHEET, ROW_NUMBER, REASON_CODES, MESSAGE_TH, MESSAGE_EN, QUARANTINED_AT),
    )
    files = _files_table(f"{name}_files", what, MTIME_NS)
    return Workbook(name, folder, sheets, files, rows, quarantine)


PLAN = _workbook("plan", "plans", "action plan (แผนปฏิบัติการ) workbook", PLAN_SHEETS)

# ---------------------------------------------------------------- meeting minutes (DOMAIN §7, §8)

PERIOD_KEY = Column(
    "period_key",
    "integer",
    "The meeting's period, written as a key like 2566-P3; parsed, its number 1–6 (its fiscal "
    "year is period_fiscal_year).",
    label_th="งวด",
    label_en="period",
    aliases=("รหัสงวด", "งวดที่ประชุม", "period key", "period"),
    kind="period",
    key_year="period_fiscal_year",
)
MEETING_DATE = Column(
    "meeting_date",
    "date",
    "The day the lead unit met its supporting units (BE or CE).",
    label_th="วันที่ประชุม",
    label_en="meeting date",
    aliases=("วันประชุม", "meeting date", "date"),
    kind="date",
)
PRESENT = Column(
    "present",
    "boolean",
    "The unit attended the meeting.",
    label_th="เข้าร่วมประชุม",
    label_en="present",
    aliases=("มาประชุม", "เข้าร่วม", "present", "attended"),
    kind="boolean",
)
DECISION_NO = Column(
    "decision_no",
    "double precision",
    "The decision's number in the minutes (1, 2, …).",
    label_th="มติที่",
    label_en="decision no.",
    aliases=("ลำดับมติ", "decision no", "decision number", "no"),
    kind="number",
)
DECISION_TEXT = Column(
    "text",
    "varchar",
    "What the meeting decided (มติที่ประชุม).",
    label_th="มติที่ประชุม",
    label_en="decision",
    aliases=("มติ", "รายละเอียดมติ", "decision", "text"),
)
COMMITMENT_ID = Column(
    "commitment_id",
    "varchar",
    "The commitment's id, chosen by its lead unit and unique within that unit (e.g. DDS-2566-01).",
    label_th="รหัสข้อผูกพัน",
    label_en="commitment id",
    aliases=("รหัสเรื่องที่รับไปดำเนินการ", "commitment id", "commitment", "id"),
    kind="code",
)
ACTION = Column(
    "action",
    "varchar",
    "What was promised (เรื่องที่รับไปดำเนินการ).",
    label_th="สิ่งที่จะดำเนินการ",
    label_en="action",
    aliases=("เรื่องที่รับไปดำเนินการ", "การดำเนินการ", "action"),
)
OWNER_UNIT = Column(
    "owner_unit",
    "varchar",
    "The unit that promised it; it must be assigned (H or R) to the commitment's policy.",
    label_th="หน่วยงานผู้รับผิดชอบ",
    label_en="owner unit",
    aliases=("ผู้รับผิดชอบ", "รหัสหน่วยงานผู้รับผิดชอบ", "owner", "owner unit"),
    kind="code",
    pattern=UNIT_CODE.pattern,
    format_th=UNIT_CODE.format_th,
    format_en=UNIT_CODE.format_en,
)
DUE_DATE = Column(
    "due_date",
    "date",
    "When it is due: after the meeting, within a fiscal year of it.",
    label_th="กำหนดแล้วเสร็จ",
    label_en="due date",
    aliases=("วันครบกำหนด", "กำหนดเสร็จ", "due date", "due"),
    kind="date",
)
COMMITMENT_STATUS = Column(
    "status",
    "varchar",
    "A commitment's status: open, done or dropped (overdue is open past its due date).",
    label_th="สถานะ",
    label_en="status",
    aliases=("สถานะการดำเนินการ", "status"),
    kind="enum",
    values=(("open", "อยู่ระหว่างดำเนินการ"), ("done", "ดำเนินการแล้วเสร็จ"), ("dropped", "ยกเลิก")),
    synonyms=(
        ("open", ("ยังไม่แล้วเสร็จ", "กำลังดำเนินการ", "in progress", "ongoing")),
        ("done", ("แล้วเสร็จ", "เสร็จ", "เสร็จสิ้น", "completed", "closed")),
        ("dropped", ("ยกเลิกแล้ว", "ไม่ดำเนินการ", "cancelled", "canceled")),
    ),
)
NOTE = Column(
    "note",
    "varchar",
    "A note on the update, free text.",
    label_th="หมายเหตุ",
    label_en="note",
    aliases=("ความคืบหน้า", "note", "remarks"),
)

MEETING_SHEET = Layout(
    "meeting",
    "การประชุม",
    columns=(PERIOD_KEY, MEETING_DATE),
    required=("period_key", "meeting_date"),
    sheet_aliases=("รายงานการประชุม", "meeting"),
    label_en="meeting",
)
ATTENDANCE_SHEET = Layout(
    "attendance",
    "ผู้เข้าร่วมประชุม",
    columns=(UNIT_CODE, PRESENT),
    required=("unit_code", "present"),
    sheet_aliases=("การเข้าร่วมประชุม", "ผู้เข้าประชุม"),
    label_en="attendance",
)
DECISIONS_SHEET = Layout(
    "decisions",
    "มติที่ประชุม",
    columns=(DECISION_NO, DECISION_TEXT, POLICY_CODE),
    required=("decision_no", "text"),
    sheet_aliases=("มติ",),
    label_en="decisions",
)
COMMITMENTS_SHEET = Layout(
    "commitments",
    "เรื่องที่รับไปดำเนินการ",
    columns=(COMMITMENT_ID, ACTION, OWNER_UNIT, DUE_DATE, POLICY_CODE, KPI_CODE),
    required=("commitment_id", "action", "owner_unit", "due_date", "policy_code"),
    sheet_aliases=("ข้อผูกพัน", "commitments"),
    label_en="commitments",
)
UPDATES_SHEET = Layout(
    "updates",
    "ความคืบหน้าเรื่องเดิม",
    columns=(COMMITMENT_ID, COMMITMENT_STATUS, NOTE),
    required=("commitment_id", "status"),
    min_required_in_header=2,
    sheet_aliases=("ติดตามเรื่องเดิม", "การติดตาม", "updates"),
    label_en="updates on earlier commitments",
)
MINUTES_SHEETS: tuple[Layout, ...] = (
    MEETING_SHEET,
    ATTENDANCE_SHEET,
    DECISIONS_SHEET,
    COMMITMENTS_SHEET,
    UPDATES_SHEET,
)
MINUTES = _workbook(
    "minutes", "meetings", "meeting minutes (รายงานการประชุม) workbook", MINUTES_SHEETS
)

WORKBOOKS: tuple[Workbook, ...] = (PLAN, MINUTES)
# Landing sub-folders of a unit that hold workbooks, not submissions.
WORKBOOK_FOLDERS = frozenset(w.folder for w in WORKBOOKS)

LEDGER_TABLES: tuple[Table, ...] = (
    SUBMISSION_FILES,
    SUBMISSION_ROWS,
    QUARANTINED_ROWS,
    SUBMISSION_VERDICTS,
    *PLAN.tables,
    *MINUTES.tables,
)

# ---------------------------------------------------------------- schema reference (the city)
# Shipped as CSVs in bma_pipeline/reference/city/ (or the folder of the reference_dir setting).

REFERENCE_SCHEMA = "reference"
NAME_TH = Column("name_th", "varchar", "Name in Thai.", label_th="ชื่อ (ภาษาไทย)")
NAME_EN = Column("name_en", "varchar", "Name in English.", label_th="ชื่อ (ภาษาอังกฤษ)")
REFERENCE_TABLES: tuple[Table, ...] = (
    Table(
        REFERENCE_SCHEMA,
        "mission_groups",
        "Mission groups (กลุ่มภารกิจ) G1–G3.",
        (GROUP_CODE, NAME_TH, NAME_EN),
    ),
    Table(
        REFERENCE_SCHEMA,
        "dimensions",
        'The nine "good" dimensions (มิติ) of the policy platform.',
        (
            Column("dimension_code", "varchar", "Dimension code (safety, travel, …)."),
            NAME_TH,
            NAME_EN,
        ),
    ),
    Table(
        REFERENCE_SCHEMA,
        "units",
        "Departments (สำนัก) and the 50 district offices (สำนักงานเขต).",
        (
            UNIT_CODE,
            Column("unit_type", "varchar", "department or district."),
            NAME_TH,
            NAME_EN,
            Column("abbrev_th", "varchar", "The Thai abbreviation where there is one (สยป.)."),
            Column("group_code", "varchar", "A department's mission group; null for districts."),
        ),
    ),
)
REFERENCE_SOURCE_DESCRIPTION = (
    "The city's reference data — units, mission groups, dimensions — loaded from the reference "
    "CSVs (bma_pipeline/reference/city/ by default)."
)


# ---------------------------------------------------------------- schema plans (derived)
# Built from the plan ledger by `bma_pipeline/plans/store.py` as of a run's as-of time, again
# only when its inputs changed (`plans/freshness.py`): every version, its validity per policy,
# and the plan in force per period.

PLANS_SCHEMA = "plans"
PLAN_VERSION_ID = Column(
    "plan_version_id",
    "bigint",
    "A plan version: the id of the accepted plan file (raw.plan_files).",
)
PERIOD_NO_OF_YEAR = Column("period_no", "integer", "Reporting period of the fiscal year, 1–6.")
FISCAL_YEAR_OF_PLAN = Column("fiscal_year", "integer", "The plan's fiscal year (BE).")
VALID_FROM = Column(
    "valid_from_period",
    "integer",
    "First period the version is in force for the policy; null when a later version took all.",
)
VALID_TO = Column("valid_to_period", "integer", "Last period the version is in force for it.")


def _plans_table(name: str, description: str, *columns: Column) -> Table:
    return Table(PLANS_SCHEMA, name, description, columns)


PLAN_TABLES: tuple[Table, ...] = (
    _plans_table(
        "versions",
        "One row per plan version: an accepted plan file received by the run's as-of time.",
        PLAN_VERSION_ID,
        FISCAL_YEAR_OF_PLAN,
        Column("sender_unit", "varchar", "The unit that sent the plan (its landing folder)."),
        Column("file_name", "varchar", "The plan file's name."),
        PATH,
        RECEIVED_AT,
        Column("effective_from", "integer", "The first period the plan is in force (1–6)."),
    ),
    _plans_table(
        "policy_versions",
        "Every (fiscal year, policy, version containing it) with the periods it is in force "
        "and the version it replaced.",
        FISCAL_YEAR_OF_PLAN,
        POLICY_CODE,
        PLAN_VERSION_ID,
        VALID_FROM,
        VALID_TO,
        Column(
            "replaces_version_id",
            "bigint",
            "The version in force at this version's first period when it arrived, if any.",
        ),
    ),
    _plans_table(
        "policy_in_force",
        "The plan in force: for each fiscal year, period and policy, the version whose KPIs, "
        "assignments and targets hold.",
        FISCAL_YEAR_OF_PLAN,
        PERIOD_NO_OF_YEAR,
        POLICY_CODE,
        PLAN_VERSION_ID,
    ),
    _plans_table(
        "policies",
        "The policies of every version.",
        PLAN_VERSION_ID,
        POLICY_CODE,
        TITLE_TH,
        TITLE_EN,
        GROUP_CODE,
        Column("dimension_code", "varchar", "The policy's primary dimension (the first listed)."),
        IS_KEY_PROJECT,
    ),
    _plans_table(
        "policy_dimensions",
        "Every dimension of every version's policies, in the order listed; the first is primary.",
        PLAN_VERSION_ID,
        POLICY_CODE,
        Column("dimension_code", "varchar", "One of the nine dimensions."),
        Column("position", "integer", "1 for the first dimension listed, 2 for the next, …"),
        Column("is_primary", "boolean", "The first dimension listed: where the policy counts."),
    ),
    _plans_table(
        "projects",
        "The projects and activities (โครงการ/กิจกรรม) of every version.",
        PLAN_VERSION_ID,
        PROJECT_CODE,
        POLICY_CODE,
        TITLE_TH,
        TITLE_EN,
    ),
    _plans_table(
        "kpis",
        "The KPIs of every version.",
        PLAN_VERSION_ID,
        *KPIS_SHEET.columns,
    ),
    _plans_table(
        "assignments",
        "The lead (H) and supporting (R) units of every version's policies.",
        PLAN_VERSION_ID,
        *ASSIGNMENTS_SHEET.columns,
    ),
    _plans_table(
        "targets",
        "Every version's targets: annual, and per period where the plan gives them.",
        PLAN_VERSION_ID,
        FISCAL_YEAR_OF_PLAN,
        POLICY_CODE,
        *TARGETS_SHEET.columns,
    ),
    _plans_table(
        "periods",
        "The bi-monthly periods of every fiscal year with a plan version.",
        FISCAL_YEAR_OF_PLAN,
        PERIOD_NO_OF_YEAR,
        Column("period_key", "varchar", "Period key such as 2566-P2."),
        Column("start_date", "date", "First day of the period."),
        Column("end_date", "date", "Last day of the period."),
    ),
)

FINGERPRINT = Column("fingerprint", "varchar", "SHA-256 over the inputs, hex.")

# Not a source of dbt: what the plan step last built schema plans from (`plans/freshness.py`).
PLAN_BUILD = _plans_table(
    "build_inputs",
    "The fingerprint of the inputs schema plans was last built from (accepted plan files "
    "received by the as-of time, the city's dimensions, the plan code): a run whose inputs "
    "are the same leaves the schema as it is.",
    FINGERPRINT,
    Column("n_plan_files", "integer", "Plan files received by the as-of time it counted."),
    Column("built_at", "timestamp", "When the plan step wrote schema plans (Bangkok time)."),
)

# Not a source of dbt: what the dbt step last built the models of plans and reference data
# alone from (`bma_pipeline/unchanged_models.py`); in dbt's intermediate schema.
PLAN_MODELS_BUILD = Table(
    "intermediate",
    "plan_models_build",
    "The fingerprint of what the dbt models built from plans and reference data alone last "
    "read (schema plans' inputs, the reference tables, the dbt code), written after a build in "
    "which all of them and their tests succeeded: a run whose fingerprint is the same leaves "
    "them out of `dbt build`.",
    (
        FINGERPRINT,
        Column("nodes", "varchar", "The dbt ids of those models and tests, comma-separated."),
        Column("built_at", "timestamp", "When the build that wrote them ended (Bangkok time)."),
    ),
)


RAW_SOURCE_DESCRIPTION = (
    "The ledger written by bma_pipeline/intake and bma_pipeline/validation. Holds personal "
    "data (reporter names and phones): never granted to BI, and no reporter column leaves "
    "this schema."
)


PLANS_SOURCE_DESCRIPTION = (
    "Action-plan versions and the plan in force, rebuilt from the plan ledger by "
    "bma_pipeline/plans/store.py (as of the run's as-of time) before submissions are judged."
)


def personal_columns() -> set[str]:
    """Names of the columns that hold personal data, in any ledger table."""
    return {c.name for table in LEDGER_TABLES for c in table.columns if c.personal}


def iter_columns() -> Iterator[Column]:
    """Every declared column of the layouts and the ledger, each once."""
    seen: set[int] = set()
    layouts = (SUBMISSION, *PLAN.sheets, *MINUTES.sheets)
    for columns in (*(layout.columns for layout in layouts), *(t.columns for t in LEDGER_TABLES)):
        for column in columns:
            if id(column) not in seen:
                seen.add(id(column))
                yield column


def dbt_sources() -> dict[str, Any]:
    """dbt's source YAML for schema raw, generated from the ledger tables."""

    def column_yaml(column: Column) -> dict[str, str]:
        # data_type: staging models cast each column to it (macro `staged_columns`).
        return {
            "name": column.name,
            "description": column.description,
            "data_type": column.sql_type,
        }

    def source(name: str, description: str, tables: tuple[Table, ...]) -> dict[str, Any]:
        return {
            "name": name,
            "schema": name,
            "description": description,
            "tables": [
                {
                    "name": table.name,
                    "description": table.description,
                    "columns": [column_yaml(c) for c in table.columns],
                }
                for table in tables
            ],
        }

    return {
        "version": 2,
        "sources": [
            source(REFERENCE_SCHEMA, REFERENCE_SOURCE_DESCRIPTION, REFERENCE_TABLES),
            source(RAW_SCHEMA, RAW_SOURCE_DESCRIPTION, LEDGER_TABLES),
            source(PLANS_SCHEMA, PLANS_SOURCE_DESCRIPTION, PLAN_TABLES),
        ],
    }


SOURCES_FILE = "dbt_project/models/staging/_sources.yml"
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
