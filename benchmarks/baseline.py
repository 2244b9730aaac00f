"""The baseline: the pipeline's work as plain DuckDB SQL, the fastest honest way on one machine.

What belongs here: reading the same landing files and the same catalogue CSVs, the same row
checks as SQL predicates, and the same progress figures in one SQL script, timed per stage.
What does not: a ledger with hashes and history, Thai/English messages, dbt tests, Dagster.

DuckDB reads UTF-8 CSV itself; it has no offline reader for cp874 text or XLSX, so a Python
pre-pass turns those files into UTF-8 CSV first (counted in the baseline's intake). Columns are
taken by position after the header row (the generator always writes the canonical order);
the pipeline maps headers by name.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

BANGKOK = ZoneInfo("Asia/Bangkok")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
THAI_MONTHS = (
    "['ม.ค.','ก.พ.','มี.ค.','เม.ย.','พ.ค.','มิ.ย.','ก.ค.','ส.ค.','ก.ย.','ต.ค.','พ.ย.','ธ.ค.']"
)
RATIO_CAP = 1.2


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_utf8_csv(path: Path, out: Path) -> Path:
    """The file as UTF-8 CSV DuckDB can read: itself when it already is one."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                writer.writerow([_cell(v) for v in row])
        workbook.close()
        return out
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        return path
    except UnicodeDecodeError:
        out.write_bytes(raw.decode("cp874").encode("utf-8"))
        return out


def _read_files(con: duckdb.DuckDBPyConnection, landing: Path, scratch: Path) -> int:
    scratch.mkdir(parents=True, exist_ok=True)
    records = []
    for file_id, path in enumerate(sorted(p for p in landing.glob("*/*") if p.is_file()), 1):
        readable = _to_utf8_csv(path, scratch / f"{file_id}.csv")
        received = datetime.fromtimestamp(path.stat().st_mtime, BANGKOK).replace(tzinfo=None)
        records.append((file_id, str(readable), path.parent.name, path.name, received))
    con.execute(
        "create table files (file_id bigint, read_path varchar, unit_folder varchar, "
        "file_name varchar, received_at timestamp)"
    )
    con.executemany("insert into files values (?, ?, ?, ?, ?)", records)
    columns = "{" + ", ".join(f"'c{i}': 'varchar'" for i in range(1, 11)) + "}"
    con.execute(
        f"""
        create table cells as
        select filename as read_path, row_number() over () as seq, *
        from read_csv({[r[1] for r in records]!r}, header = false, auto_detect = false,
                      columns = {columns}, delim = ',', quote = '"', null_padding = true,
                      filename = true, strict_mode = false, parallel = true)
        """
    )
    return len(records)


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


def run_baseline(
    landing: Path,
    catalog_dir: Path,
    database: Path,
    scratch: Path,
    as_of: datetime,
    stage: Callable[[str], object],
) -> dict[str, int]:
    """Every stage in order, each inside `stage(name)` (a timing context manager)."""
    database.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    with stage("reference"):
        for table in ("units", "policies", "kpis", "assignments", "targets"):
            con.execute(
                f"create table {table} as select * from read_csv(?, all_varchar = false)",
                [str(catalog_dir / f"{table}.csv")],
            )
    with stage("intake"):
        n_files = _read_files(con, landing, scratch)
        con.execute(INTAKE_SQL)
    with stage("validation"):
        con.execute(VALIDATION_SQL)
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
        "rows_received": int(summary[1]),
        "rows_accepted": int(summary[2]),
        "rows_quarantined": int(summary[3]),
    }


if __name__ == "__main__":  # a quick manual run: python -m benchmarks.baseline LANDING CATALOG
    import sys
    from contextlib import contextmanager

    @contextmanager
    def _timed(name: str):  # noqa: ANN202 - manual helper
        started = time.perf_counter()
        yield
        print(f"{name:12} {time.perf_counter() - started:7.2f} s")

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
