"""The baseline: the pipeline's work as plain DuckDB SQL, the fastest honest way on one machine.

What belongs here: reading the same landing folder — the plan workbooks of
`landing/<unit>/plans/`, the minutes workbooks of `landing/<unit>/meetings/`, the submission
files of `landing/<unit>/` — and the same reference CSVs, the same row checks as SQL
predicates, and the same progress figures in one SQL script, timed per stage; and the raw read
floor (`read_floor`): one multi-file `read_csv` over the same CSV files, nothing else. What does
not: a ledger with hashes and history, plan versions and revisions (the baseline takes each
year's plan as its city plan has it), Thai/English messages, dbt tests, Dagster.

DuckDB reads UTF-8 CSV itself; it has no offline reader for cp874 text or XLSX, so a Python
pre-pass turns those files into UTF-8 CSV first (counted in the baseline's intake): a cp874
file is decoded once, in one pass (`bytes.decode`, the UTF-8 check before it stops at the first
Thai byte), and written as UTF-8. File metadata goes into DuckDB as one Arrow table, not row by
row. Columns are taken by position after the header row (the generator always writes the
canonical order); the pipeline maps headers by name. Workbook sheets are found by their Thai
name and read by position in the registry's column order (`bma_pipeline.columns`).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from bma_pipeline.columns import AGGREGATION, DIRECTION, MINUTES, PLAN

BANGKOK = ZoneInfo("Asia/Bangkok")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
THAI_MONTHS = (
    "['ม.ค.','ก.พ.','มี.ค.','เม.ย.','พ.ค.','มิ.ย.','ก.ค.','ส.ค.','ก.ย.','ต.ค.','พ.ย.','ธ.ค.']"
)
RATIO_CAP = 1.2
FIRST_DATA_ROW = 3  # workbooks: title, Thai header, English labels, then data


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_to_csv(path: Path, out: Path) -> Path:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            writer.writerow([_cell(v) for v in row])
    workbook.close()
    return out


def _to_utf8_csv(path: Path, out: Path) -> tuple[Path, str]:
    """The file as UTF-8 CSV DuckDB can read (itself when it already is one), and its kind."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_to_csv(path, out), "xlsx"
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")  # stops at the first byte that is not UTF-8 (cp874 Thai)
        return path, "utf-8"
    except UnicodeDecodeError:
        with out.open("w", encoding="utf-8", newline="") as handle:
            handle.write(raw.decode("cp874"))
        return out, "cp874"


def submission_files(landing: Path) -> list[Path]:
    """The submission files: `landing/<unit>/<file>` (plans/ and meetings/ are folders)."""
    return sorted(p for p in landing.glob("*/*") if p.is_file())


COLUMNS = "{" + ", ".join(f"'c{i}': 'varchar'" for i in range(1, 11)) + "}"


def _read_csv_sql(paths: list[str]) -> str:
    return f"""
        select filename as read_path, row_number() over () as seq, *
        from read_csv({paths!r}, header = false, auto_detect = false,
                      columns = {COLUMNS}, delim = ',', quote = '"', null_padding = true,
                      filename = true, strict_mode = false, parallel = true)
        """


def _read_files(con: duckdb.DuckDBPyConnection, landing: Path, scratch: Path) -> int:
    scratch.mkdir(parents=True, exist_ok=True)
    ids, read_paths, folders, names, received = [], [], [], [], []
    for file_id, path in enumerate(submission_files(landing), 1):
        readable, _ = _to_utf8_csv(path, scratch / f"{file_id}.csv")
        ids.append(file_id)
        read_paths.append(str(readable))
        folders.append(path.parent.name)
        names.append(path.name)
        received.append(datetime.fromtimestamp(path.stat().st_mtime, BANGKOK).replace(tzinfo=None))
    files = pa.table(
        {
            "file_id": pa.array(ids, pa.int64()),
            "read_path": read_paths,
            "unit_folder": folders,
            "file_name": names,
            "received_at": pa.array(received, pa.timestamp("us")),
        }
    )
    con.register("files_arrow", files)
    con.execute("create table files as select * from files_arrow")
    con.unregister("files_arrow")
    con.execute(f"create table cells as {_read_csv_sql(read_paths)}")
    return len(ids)


def read_floor(landing: Path, scratch: Path, stage: Callable[[str], object]) -> dict[str, int]:
    """The raw read floor: the cp874 files decoded to UTF-8 (`cp874 decode`), then one
    multi-file `read_csv` over every CSV file into a table (`read_csv`), nothing else. XLSX
    files are left out (timed apart as `xlsx to csv`: that is openpyxl, not a read floor)."""
    scratch.mkdir(parents=True, exist_ok=True)
    files = submission_files(landing)
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    paths: list[str] = []
    with stage("cp874 decode"):
        for file_id, path in enumerate(csvs, 1):
            readable, _ = _to_utf8_csv(path, scratch / f"{file_id}.csv")
            paths.append(str(readable))
    con = duckdb.connect()
    with stage("read_csv"):
        con.execute(f"create table cells as {_read_csv_sql(paths)}")
        n_lines = int(con.execute("select count(*) from cells").fetchone()[0])
    con.close()
    xlsx = [p for p in files if p.suffix.lower() == ".xlsx"]
    with stage("xlsx to csv"):
        for file_id, path in enumerate(xlsx, len(csvs) + 1):
            _xlsx_to_csv(path, scratch / f"{file_id}.csv")
    return {"csv_files": len(csvs), "csv_lines": n_lines, "xlsx_files": len(xlsx)}


def _read_workbooks(con: duckdb.DuckDBPyConnection, paths: list[Path], kind, prefix: str) -> int:  # noqa: ANN001 - kind is a bma_pipeline.columns.Workbook
    """Every sheet of every workbook of `kind` into `<prefix>_<sheet>` (all text, by position,
    with the file's id, folder and received time)."""
    import openpyxl

    layouts = {layout.label_th: layout for layout in kind.sheets}
    columns: dict[str, dict[str, list]] = {
        layout.name: {name: [] for name in ("file_id", "unit_folder", "received_at")}
        | {c.name: [] for c in layout.columns}
        for layout in kind.sheets
    }
    for file_id, path in enumerate(paths, 1):
        received = datetime.fromtimestamp(path.stat().st_mtime, BANGKOK).replace(tzinfo=None)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            layout = layouts.get(sheet.title)
            if layout is None:
                continue
            table = columns[layout.name]
            names = [c.name for c in layout.columns]
            for row in sheet.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True):
                if all(v is None for v in row):
                    continue
                table["file_id"].append(file_id)
                table["unit_folder"].append(path.parent.parent.name)
                table["received_at"].append(received)
                for index, name in enumerate(names):
                    value = row[index] if index < len(row) else None
                    table[name].append(None if value is None else _cell(value))
        workbook.close()
    for name, table in columns.items():
        arrow = pa.table(
            {
                key: pa.array(values, pa.int64())
                if key == "file_id"
                else pa.array(values, pa.timestamp("us"))
                if key == "received_at"
                else pa.array(values, pa.string())
                for key, values in table.items()
            }
        )
        con.register("sheet_arrow", arrow)
        con.execute(f"create table {prefix}_{name} as select * from sheet_arrow")
        con.unregister("sheet_arrow")
    return len(paths)


def _label_case(column: str, labels: dict[str, str]) -> str:
    whens = " ".join(f"when '{th}' then '{code}'" for code, th in labels.items())
    return f"case {column} {whens} else {column} end"


PLAN_SQL = f"""
create table plan_files as
select file_id, unit_folder, received_at, try_cast(fiscal_year as integer) as fiscal_year,
       coalesce(try_cast(effective_from as integer), 1) as effective_from
from plan_plan;

create table city_plans as  -- each year's plan in force from P1, the newest file of its year
select * from plan_files where effective_from = 1
qualify row_number() over (partition by fiscal_year order by received_at desc, file_id desc) = 1;

create table policies as
select distinct on (p.policy_code) p.policy_code, p.title_th, p.title_en, p.group_code,
       p.dimensions
from plan_policies p join city_plans using (file_id)
order by p.policy_code;

create table kpis as
select distinct on (k.kpi_code) k.kpi_code, k.policy_code,
       {_label_case("k.direction", DIRECTION.labels_th)} as direction,
       {_label_case("k.aggregation", AGGREGATION.labels_th)} as aggregation,
       k.is_percentage = 'ใช่' as is_percentage
from plan_kpis k join city_plans using (file_id)
order by k.kpi_code;

create table assignments as
select distinct a.policy_code, a.unit_code, a.role
from plan_assignments a join city_plans using (file_id);

create table targets as
select c.fiscal_year, t.kpi_code, t.unit_code,
       try_cast(t.annual_target as double) as annual_target
from plan_targets t join city_plans c using (file_id)
where try_cast(t.annual_target as double) is not null
"""

MINUTES_SQL = """
create table meetings as
select file_id, unit_folder, received_at, period_key,
       try_cast(make_date(try_cast(split_part(meeting_date, '/', 3) as integer) - 543,
                          try_cast(split_part(meeting_date, '/', 2) as integer),
                          try_cast(split_part(meeting_date, '/', 1) as integer)) as date)
           as meeting_date
from minutes_meeting
qualify row_number() over (partition by unit_folder, period_key
                           order by received_at desc, file_id desc) = 1;

create table attendance as
select m.unit_folder as lead_unit, m.period_key, a.unit_code, a.present = 'ใช่' as present
from minutes_attendance a join meetings m using (file_id);

create table commitments as
select m.unit_folder as lead_unit, m.period_key, c.commitment_id, c.owner_unit,
       c.policy_code, c.kpi_code, c.due_date
from minutes_commitments c join meetings m using (file_id)
"""


INTAKE_SQL = f"""
create table rows as
with numbered as (
    select f.file_id, f.unit_folder, f.file_name, f.received_at, c.*,
           row_number() over (partition by c.read_path order by c.seq) as line
    from cells c join files f using (read_path)
),
headers as (
    select file_id, min(line) as header_line from numbered
    where trim(c1) in ('unit_code', 'รหัสหน่วยงาน') group by file_id
),
data_rows as (
    select n.* from numbered n join headers h using (file_id)
    where n.line > h.header_line and coalesce(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) is not null
),
texts as (
    select file_id, line as row_number, unit_folder, file_name, received_at,
           nullif(trim(c1), '') as raw_unit_code,
           nullif(translate(trim(c2), '{THAI_DIGITS}', '0123456789'), '') as raw_fiscal_year,
           nullif(translate(trim(c3), '{THAI_DIGITS}', '0123456789'), '') as raw_period_no,
           nullif(trim(c4), '') as raw_kpi_code,
           nullif(replace(translate(trim(c5), '{THAI_DIGITS}', '0123456789'), ',', ''), '')
               as raw_actual_value,
           nullif(nullif(replace(translate(trim(c6), '{THAI_DIGITS}', '0123456789'), ',', ''),
                  ''), '-') as raw_budget_spent_baht,
           nullif(trim(c7), '') as raw_status,
           nullif(trim(c8), '') as obstacles,
           nullif(translate(trim(c9), '{THAI_DIGITS}', '0123456789'), '') as raw_reported_on,
           nullif(trim(c10), '') as reporter
    from data_rows
)
select *,
       raw_unit_code as unit_code,
       try_cast(raw_fiscal_year as integer) as fiscal_year,
       case when regexp_matches(raw_period_no, '^[0-9]{{4}}-P[0-9]+$')
            then try_cast(split_part(raw_period_no, '-P', 2) as integer)
            else try_cast(raw_period_no as integer) end as period_no,
       raw_kpi_code as kpi_code,
       try_cast(raw_actual_value as double) as actual_value,
       try_cast(raw_budget_spent_baht as double) as budget_spent_baht,
       case raw_status when 'ยังไม่เริ่ม' then 'not_started' when 'กำลังดำเนินการ' then 'in_progress'
            when 'แล้วเสร็จ' then 'completed' when 'ล่าช้า' then 'delayed'
            else raw_status end as status,
       case
         when regexp_matches(raw_reported_on, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
           then try_cast(left(raw_reported_on, 10) as date)
         when regexp_matches(raw_reported_on, '^[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}$')
           then try_cast(make_date(
                  cast(split_part(raw_reported_on, '/', 3) as integer) - 543,
                  cast(split_part(raw_reported_on, '/', 2) as integer),
                  cast(split_part(raw_reported_on, '/', 1) as integer)) as date)
         else try_cast(make_date(
                case when length(split_part(raw_reported_on, ' ', 3)) = 2
                     then 2500 + cast(split_part(raw_reported_on, ' ', 3) as integer) - 543
                     else try_cast(split_part(raw_reported_on, ' ', 3) as integer) - 543 end,
                list_position({THAI_MONTHS}, split_part(raw_reported_on, ' ', 2)),
                try_cast(split_part(raw_reported_on, ' ', 1) as integer)) as date)
       end as reported_on
from texts
"""

VALIDATION_SQL = """
create table quarantine as
with judged as (
    select r.file_id, r.row_number,
        list_filter([
          case when r.raw_unit_code is null or r.raw_fiscal_year is null or r.raw_period_no is null
                 or r.raw_kpi_code is null or r.raw_actual_value is null
               then 'missing_required' end,
          case when (r.raw_actual_value is not null and r.actual_value is null)
                 or (r.raw_budget_spent_baht is not null and r.budget_spent_baht is null)
               then 'not_a_number' end,
          case when r.actual_value < 0 or r.budget_spent_baht < 0 then 'negative_value' end,
          case when r.raw_period_no is not null
                 and (r.period_no is null or r.period_no not between 1 and 6)
               then 'bad_period' end,
          case when r.unit_code <> r.unit_folder then 'unit_mismatch' end,
          case when r.fiscal_year is not null
                 and r.fiscal_year not in (select fiscal_year from targets)
               then 'fiscal_year_out_of_range' end,
          case when r.kpi_code is not null and k.kpi_code is null then 'unknown_kpi' end,
          case when k.kpi_code is not null and r.unit_code is not null and a.policy_code is null
               then 'not_assigned' end,
          case when r.kpi_code is not null
                 and count(*) over (partition by r.file_id, r.kpi_code) > 1
               then 'duplicate_in_file' end
        ], lambda x: x is not null) as reasons
    from rows r
    left join kpis k on k.kpi_code = r.kpi_code
    left join (select distinct policy_code, unit_code from assignments) a
           on a.policy_code = k.policy_code and a.unit_code = r.unit_code
)
select file_id, row_number, array_to_string(list_sort(reasons), ',') as reason_codes
from judged where len(reasons) > 0;

create table accepted as
select r.* from rows r anti join quarantine q using (file_id, row_number);
"""

MARTS_SQL = f"""
create table current_values as
with ranked as (
    select unit_code, kpi_code, fiscal_year, period_no, actual_value,
           row_number() over (partition by unit_code, kpi_code, fiscal_year, period_no
                              order by received_at desc, file_name desc, file_id desc,
                                       row_number desc) as recency
    from accepted where received_at <= $as_of
)
select unit_code, kpi_code, fiscal_year, period_no, actual_value from ranked where recency = 1;

create table kpi_progress as
with pairs as (
    select t.fiscal_year, t.unit_code, t.kpi_code, t.annual_target, k.policy_code,
           k.direction, k.aggregation, p.period_no
    from targets t join kpis k using (kpi_code)
    cross join (select unnest(range(1, 7)) as period_no) p
),
with_values as (
    select pairs.*, c.actual_value as period_value,
           sum(c.actual_value) over w as running_sum,
           last_value(c.actual_value ignore nulls) over w as latest_value,
           count(c.actual_value) over w as n_values
    from pairs left join current_values c using (fiscal_year, unit_code, kpi_code, period_no)
    window w as (partition by pairs.fiscal_year, pairs.unit_code, pairs.kpi_code
                 order by pairs.period_no rows between unbounded preceding and current row)
),
to_date as (
    select *,
           case when n_values = 0 then null
                when aggregation = 'sum' then running_sum else latest_value end as actual_ytd,
           case when aggregation = 'sum' then annual_target * period_no / 6.0
                else annual_target end as target_to_date
    from with_values
),
ratios as (
    select *,
           case when actual_ytd is null then null
                when direction = 'increase' then
                     case when target_to_date = 0 then 1.0 else actual_ytd / target_to_date end
                when target_to_date = 0 then case when actual_ytd = 0 then 1.0 else 0.0 end
                when actual_ytd = 0 then {RATIO_CAP}
                else target_to_date / actual_ytd end as achievement_ratio
    from to_date
)
select *,
       case when achievement_ratio > {RATIO_CAP} then {RATIO_CAP}
            else achievement_ratio end as capped_ratio,
       case when achievement_ratio is null then 'no_data'
            when achievement_ratio >= 1.0 - 1e-9 then 'on_track'
            when achievement_ratio >= 0.8 - 1e-9 then 'at_risk'
            else 'off_track' end as status
from ratios;

create table unit_progress as
select fiscal_year, period_no, unit_code,
       100 * avg(capped_ratio) as progress_pct,
       count(*) filter (status = 'on_track') as n_on_track,
       count(*) filter (status = 'at_risk') as n_at_risk,
       count(*) filter (status = 'off_track') as n_off_track,
       count(*) filter (status = 'no_data') as n_no_data
from kpi_progress group by all;

create table policy_progress as
with roles as (
    select policy_code, unit_code, min(role) as role from assignments group by all
)
select k.fiscal_year, k.period_no, k.policy_code,
       100 * avg(k.capped_ratio) as progress_pct,
       100 * avg(k.capped_ratio) filter (r.role = 'H') as lead_progress_pct,
       100 * avg(k.capped_ratio) filter (r.role = 'R') as support_progress_pct,
       count(*) filter (k.status = 'on_track') as n_on_track,
       count(*) filter (k.status = 'at_risk') as n_at_risk,
       count(*) filter (k.status = 'off_track') as n_off_track,
       count(*) filter (k.status = 'no_data') as n_no_data
from kpi_progress k left join roles r using (policy_code, unit_code)
group by all;

create table group_progress as
select p.fiscal_year, p.period_no, coalesce(pol.group_code, 'CITY') as group_code,
       avg(p.progress_pct) as progress_pct
from policy_progress p join policies pol using (policy_code)
group by grouping sets ((p.fiscal_year, p.period_no, pol.group_code),
                        (p.fiscal_year, p.period_no));
"""

REPORTS_SQL = """
select (select count(*) from files) as files,
       (select count(*) from rows) as rows_received,
       (select count(*) from accepted) as rows_accepted,
       (select count(*) from quarantine) as rows_quarantined,
       (select list(group_code || '=' || round(progress_pct, 1)) from group_progress
        where (fiscal_year, period_no) = (select max((fiscal_year, period_no)) from current_values)
       ) as group_progress
"""


def _script(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    for statement in sql.split(";"):
        if statement.strip():
            con.execute(statement)


def run_baseline(
    landing: Path,
    reference_dir: Path,
    database: Path,
    scratch: Path,
    as_of: datetime,
    stage: Callable[[str], object],
) -> dict[str, int]:
    """Every stage in order, each inside `stage(name)` (a timing context manager)."""
    database.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    with stage("reference"):
        for table in ("units", "mission_groups", "dimensions"):
            con.execute(
                f"create table {table} as select * from read_csv(?, all_varchar = false)",
                [str(reference_dir / f"{table}.csv")],
            )
    with stage("plan intake"):
        n_plans = _read_workbooks(con, sorted(landing.glob("*/plans/*.xlsx")), PLAN, "plan")
        _script(con, PLAN_SQL)
    with stage("minutes intake"):
        n_minutes = _read_workbooks(
            con, sorted(landing.glob("*/meetings/*.xlsx")), MINUTES, "minutes"
        )
        _script(con, MINUTES_SQL)
    with stage("intake"):
        n_files = _read_files(con, landing, scratch)
        con.execute(INTAKE_SQL)
    with stage("validation"):
        _script(con, VALIDATION_SQL)
    with stage("dbt build"):
        for statement in MARTS_SQL.split(";"):
            if statement.strip():
                con.execute(statement.replace("$as_of", "?"), [as_of] * statement.count("$as_of"))
    with stage("reports"):
        summary = con.execute(REPORTS_SQL).fetchone()
    con.close()
    assert summary is not None
    return {
        "files": n_files,
        "plan_files": n_plans,
        "minutes_files": n_minutes,
        "rows_received": int(summary[1]),
        "rows_accepted": int(summary[2]),
        "rows_quarantined": int(summary[3]),
    }


if __name__ == "__main__":  # a quick manual run: python -m benchmarks.baseline LANDING REF [AS_OF]
    import sys
    from contextlib import contextmanager

    @contextmanager
    def _timed(name: str):  # noqa: ANN202 - manual helper
        started = time.perf_counter()
        yield
        print(f"{name:14} {time.perf_counter() - started:7.2f} s")

    print(
        run_baseline(
            Path(sys.argv[1]),
            Path(sys.argv[2]),
            Path("/tmp/bma_baseline.duckdb"),
            Path("/tmp/bma_baseline_files"),
            datetime.fromisoformat(sys.argv[3] if len(sys.argv) > 3 else "2030-01-01"),
            _timed,
        )
    )
    print(read_floor(Path(sys.argv[1]), Path("/tmp/bma_floor_files"), _timed))
