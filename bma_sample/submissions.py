"""Realistic synthetic submissions for a fiscal year, written into a landing folder.

What belongs here: simulating how the 50 district offices and the departments report
a year — one file per unit per period in `landing/<unit_code>/`, mixed formats and
encodings (CSV UTF-8, UTF-8 with BOM, cp874, XLSX), Thai or English headers, Thai
digits, thousands separators, Buddhist-Era dates, title rows, blank trailing rows,
about 3% deliberately bad rows, and a timeline (on time, late, missing, resubmitted)
carried by each file's modification time. What does not belong: reading or judging
the files (intake and validation), or anything written outside the unit folders.

Everything is drawn from `random.Random` streams seeded by (seed, fiscal year, unit,
period), so the same seed gives byte-identical files and modification times, and a
period's files do not depend on which other periods were asked for.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from bma_pipeline.columns import STATUS, SUBMISSION
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS, THAI_MONTHS_SHORT, Period
from bma_pipeline.reference.catalog import Catalog
from bma_sample.catalogue import Revision, sample_catalogue
from bma_sample.minutes import MinutesReport, write_sample_minutes
from bma_sample.plans import revised_catalogue, write_sample_plans

BANGKOK = ZoneInfo("Asia/Bangkok")

# Headers as units write them: the registry's canonical names or Thai labels, in its order.
CANONICAL_HEADERS = list(SUBMISSION.names)
THAI_HEADERS = [str(column.label_th) for column in SUBMISSION.columns]
SHORT_PERIOD_HEADER = "งวด"  # one of period_no's aliases, written by some units
STATUS_TH = STATUS.labels_th
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# Measure units (English) whose values carry one decimal.
DECIMAL_UNITS = {"km", "%", "hours", "minutes", "days", "tonnes", "rai", "per 1,000"}

# Share of rows deliberately broken, per unit temperament (careful, usual, sloppy).
BAD_ROW_SHARES = (0.01, 0.02, 0.05)
BAD_KINDS = (
    "unknown_kpi",
    "negative_value",
    "wrong_unit",
    "text_value",
    "duplicate_kpi",
    "period_out_of_range",
)
NUMBER_WORDS = ("สิบ", "ห้าสิบ", "ไม่ทราบ", "รอข้อมูล")
# Pace of work in each period relative to an even sixth of the year (a slower start).
PERIOD_PACE = (0.85, 0.95, 1.05, 1.05, 1.05, 1.05)
LATE_DAYS_MAX = 9  # late files arrive at most this many days after the due date
OBSTACLES = (
    "ฝนตกหนักต่อเนื่อง ทำให้ต้องเลื่อนงานในพื้นที่",
    "ได้รับจัดสรรงบประมาณล่าช้า",
    "ผู้รับจ้างทิ้งงาน อยู่ระหว่างยกเลิกสัญญาและหาผู้รับจ้างรายใหม่",
    "ขาดแคลนบุคลากร เจ้าหน้าที่ลาออก 2 ราย",
    "รถบรรทุกและเครื่องจักรชำรุด อยู่ระหว่างรอซ่อม",
    "ประชาชนในพื้นที่คัดค้าน อยู่ระหว่างทำความเข้าใจกับชุมชน",
    "พื้นที่ทับซ้อนกับการก่อสร้างรถไฟฟ้า ต้องประสานหน่วยงานสาธารณูปโภค",
    "การไฟฟ้านครหลวงยังไม่ย้ายเสาไฟฟ้า",
    "ระบบรายงานผลขัดข้อง ส่งข้อมูลล่าช้า",
    "รอผลการพิจารณาอนุมัติโครงการ",
    "อุปกรณ์ที่สั่งซื้อยังไม่ได้รับการส่งมอบ",
    "ผู้ค้าไม่ให้ความร่วมมือในการย้ายจุด",
    "น้ำทะเลหนุนสูง ไม่สามารถพร่องน้ำในคลองได้",
    "ค่าฝุ่น PM2.5 สูง ต้องงดกิจกรรมกลางแจ้ง",
    "ราคาวัสดุก่อสร้างสูงขึ้น ต้องปรับแผนการจัดซื้อ",
    "อุปกรณ์ชำรุดจากฟ้าผ่า รอเปลี่ยนอุปกรณ์ใหม่",
)
MALE_NAMES = ("สมชาย", "ประเสริฐ", "ธนพล", "อนุชา", "สุรชัย", "วรวุฒิ", "ชัยวัฒน์", "ณัฐพงศ์")
FEMALE_NAMES = ("สมศรี", "วิไลวรรณ", "กนกวรรณ", "ศิริพร", "พรทิพย์", "จิราพร", "นภัสสร", "สุภาวดี")
SURNAMES = (
    "ใจดี",
    "ศรีสุข",
    "วงศ์ไทย",
    "แก้วมณี",
    "บุญมา",
    "ทองคำ",
    "สุขสวัสดิ์",
    "รัตนพันธ์",
    "มั่นคง",
    "เพชรรัตน์",
    "จันทร์หอม",
    "สายทอง",
)


@dataclass
class GenerationReport:
    """What the generator wrote, and the timeline it simulated (for logs and tests)."""

    out_dir: Path
    fiscal_year: int
    periods: list[int]
    files_written: list[Path] = field(default_factory=list)
    n_rows: int = 0  # data rows in all files (title, header and blank rows not counted)
    n_bad_rows: int = 0  # rows validation must reject (both rows of a duplicated KPI)
    bad_rows_by_kind: dict[str, int] = field(default_factory=dict)
    plan_files: list[Path] = field(default_factory=list)  # the plans the files report against
    minutes: MinutesReport | None = None  # the H–R meetings' minutes
    late: list[tuple[str, int]] = field(default_factory=list)  # first file after the due date
    missing: list[tuple[str, int]] = field(default_factory=list)  # no file for the period
    resubmitted: list[tuple[str, int]] = field(default_factory=list)  # a corrected file later

    @property
    def bad_row_share(self) -> float:
        return self.n_bad_rows / self.n_rows if self.n_rows else 0.0


@dataclass(frozen=True)
class _Kpi:
    kpi_code: str
    annual_target: float
    aggregation: str
    decrease: bool
    is_percentage: bool
    decimals: int


@dataclass(frozen=True)
class _Profile:
    """How one unit behaves all year: performance, punctuality, file habits."""

    performance: float
    p_late: float
    p_missing: float
    p_resubmit: float
    p_bad: float
    file_format: str  # xlsx | csv-utf8 | csv-bom | csv-cp874
    thai_headers: bool
    short_period_header: bool  # 'งวด' instead of 'งวดที่'
    number_style: str  # plain | thousands | thai_digits
    date_style: str  # iso | be_slash | thai_month | thai_month_short | excel_be
    period_as_key: bool
    title_row: bool
    blank_tail: bool
    reporter: str


@dataclass
class _Row:
    unit_code: str
    fiscal_year: int
    period_no: int | str
    kpi_code: str
    actual_value: float | str
    budget_spent_baht: float | str | None
    status: str
    obstacles: str
    reported_on: date
    reporter: str


def generate_submissions(
    out_dir: Path,
    fiscal_year: int,
    periods: list[int],
    seed: int,
    catalog: Catalog | None = None,
    revision: Revision | None = None,
    plans: bool = True,
    minutes: bool = True,
) -> GenerationReport:
    """Write one file per unit per period into `out_dir/<unit_code>/` and set its mtime, and
    (with `plans`) the plans they report against into `out_dir/<unit_code>/plans/`.

    Only units with at least one target in `fiscal_year` report; each file has one row per
    KPI the unit has a target for in the plan in force for the period: the catalogue's, and
    from `revision.effective_from` on the revised policy's (default: the sample revision,
    when the catalogue has its policy). Existing files of the same name are overwritten.
    """
    catalog = catalog if catalog is not None else sample_catalogue()
    if revision is None:
        revision = Revision()
    if not revision.applies_to(catalog, fiscal_year):
        revision = None
    if fiscal_year not in catalog.fiscal_years:
        raise ValueError(
            f"fiscal year {fiscal_year} has no targets in the catalogue "
            f"(years with targets: {catalog.fiscal_years})"
        )
    bad_periods = [p for p in periods if not 1 <= p <= 6]
    if bad_periods or not periods:
        raise ValueError(f"periods must be within 1–6, got {periods}")

    out_dir = Path(out_dir)
    report = GenerationReport(out_dir=out_dir, fiscal_year=fiscal_year, periods=sorted(periods))
    if plans:
        report.plan_files = write_sample_plans(out_dir, fiscal_year, catalog, revision)
    before = _kpis_by_unit(catalog, fiscal_year)
    after = (
        _kpis_by_unit(revised_catalogue(catalog, fiscal_year, revision), fiscal_year)
        if revision is not None
        else before
    )
    kpis_by_unit = {unit: before.get(unit, []) for unit in sorted(set(before) | set(after))}
    units = catalog.units.set_index("unit_code")
    all_kpi_codes = set(catalog.kpis["kpi_code"])
    bad_kinds: Counter[str] = Counter()

    for unit_code in sorted(kpis_by_unit):
        is_district = units.at[unit_code, "unit_type"] == "district"
        profile_rng = random.Random(f"{seed}:{fiscal_year}:{unit_code}:profile")
        profile = _draw_profile(profile_rng, is_district)
        known = {k.kpi_code: k for k in [*before.get(unit_code, []), *after.get(unit_code, [])]}
        kpi_factor = {code: profile_rng.uniform(0.85, 1.15) for code in known}
        peers = sorted(
            code
            for code in kpis_by_unit
            if code != unit_code and (code.isdigit() == unit_code.isdigit())
        )
        for period_no in report.periods:
            revised = revision is not None and period_no >= revision.effective_from
            unit_kpis = (after if revised else before).get(unit_code, [])
            if not unit_kpis:
                continue  # nothing in force for this unit in this period
            rng = random.Random(f"{seed}:{fiscal_year}:{unit_code}:P{period_no}")
            period = Period(fiscal_year, period_no)
            if rng.random() < profile.p_missing:
                report.missing.append((unit_code, period_no))
                continue
            is_late = rng.random() < profile.p_late
            uploaded_at = _upload_time(rng, period, is_late)
            if is_late:
                report.late.append((unit_code, period_no))
            file_format = profile.file_format
            if rng.random() < 0.15:
                file_format = rng.choice(["xlsx", "csv-utf8", "csv-bom", "csv-cp874"])
            clean = [
                _clean_row(rng, unit_code, period, k, kpi_factor[k.kpi_code], profile, uploaded_at)
                for k in unit_kpis
            ]
            rows, n_bad, kinds = _break_rows(rng, clean, profile.p_bad, peers, all_kpi_codes)
            bad_kinds.update(kinds)
            title = f"แบบรายงานผลการดำเนินงาน {units.at[unit_code, 'name_th']}"
            name = f"{fiscal_year}-P{period_no}"
            path = _write_file(
                out_dir / unit_code, name, file_format, rows, profile, title, period, rng
            )
            _set_mtime(path, uploaded_at)
            report.files_written.append(path)
            report.n_rows += len(rows)
            report.n_bad_rows += n_bad

            if rng.random() < profile.p_resubmit:
                resubmitted_at = _resubmission_time(rng, period, uploaded_at)
                corrected = [_correct_row(rng, row, resubmitted_at) for row in clean]
                path = _write_file(
                    out_dir / unit_code,
                    f"{name}_rev1",
                    file_format,
                    corrected,
                    profile,
                    title,
                    period,
                    rng,
                )
                _set_mtime(path, resubmitted_at)
                report.files_written.append(path)
                report.n_rows += len(corrected)
                report.resubmitted.append((unit_code, period_no))

    report.bad_rows_by_kind = dict(sorted(bad_kinds.items()))
    if minutes:
        revised = (
            revised_catalogue(catalog, fiscal_year, revision) if revision is not None else catalog
        )
        of_period = {
            p: revised if revision is not None and p >= revision.effective_from else catalog
            for p in report.periods
        }
        report.minutes = write_sample_minutes(out_dir, fiscal_year, report.periods, seed, of_period)
    return report


def _kpis_by_unit(catalog: Catalog, fiscal_year: int) -> dict[str, list[_Kpi]]:
    targets = catalog.targets[catalog.targets["fiscal_year"] == fiscal_year]
    merged = targets.merge(catalog.kpis, on="kpi_code", how="inner").sort_values(
        ["unit_code", "kpi_code"]
    )
    result: dict[str, list[_Kpi]] = {}
    for row in merged.itertuples(index=False):
        decimals = 1 if row.measure_unit_en in DECIMAL_UNITS else 0
        result.setdefault(str(row.unit_code), []).append(
            _Kpi(
                kpi_code=str(row.kpi_code),
                annual_target=float(row.annual_target),
                aggregation=str(row.aggregation),
                decrease=row.direction == "decrease",
                is_percentage=bool(row.is_percentage),
                decimals=decimals,
            )
        )
    return result


def _draw_profile(rng: random.Random, is_district: bool) -> _Profile:
    temperament = rng.random()
    if temperament < 0.15:  # lagging all year
        performance = rng.uniform(0.45, 0.75)
    elif temperament < 0.27:  # overshooting its targets
        performance = rng.uniform(1.25, 1.6)
    else:
        performance = rng.uniform(0.9, 1.2)
    late_prone = rng.random() < 0.12
    formats = ["xlsx", "csv-utf8", "csv-bom", "csv-cp874"]
    weights = [40, 20, 20, 20] if is_district else [50, 25, 15, 10]
    file_format = rng.choices(formats, weights)[0]
    first = rng.choice(MALE_NAMES + FEMALE_NAMES)
    title = "นาย" if first in MALE_NAMES else rng.choice(["นาง", "นางสาว"])
    if rng.random() < 0.3:  # office landline, else a mobile number
        phone = f"02-{rng.randrange(100, 1000)}-{rng.randrange(10000):04d}"
    else:
        phone = f"0{rng.choice([6, 8, 9])}{rng.randrange(10)}-{rng.randrange(1000):03d}-"
        phone += f"{rng.randrange(10000):04d}"
    return _Profile(
        performance=performance,
        p_late=0.5 if late_prone else 0.04,
        p_missing=0.12 if late_prone else 0.02,
        p_resubmit=0.06,
        p_bad=rng.choices(BAD_ROW_SHARES, [30, 55, 15])[0],
        file_format=file_format,
        thai_headers=is_district or rng.random() < 0.5,
        short_period_header=rng.random() < 0.2,
        number_style=rng.choices(["plain", "thousands", "thai_digits"], [70, 20, 10])[0],
        date_style=rng.choices(
            ["iso", "be_slash", "thai_month", "thai_month_short", "excel_be"],
            [25, 30, 20, 10, 15],
        )[0],
        period_as_key=rng.random() < 0.1,
        title_row=rng.random() < 0.4,
        blank_tail=rng.random() < 0.25,
        reporter=f"{title}{first} {rng.choice(SURNAMES)} โทร. {phone}",
    )


def _bangkok(day: date, rng: random.Random, earliest: time = time(8, 0)) -> datetime:
    start = earliest.hour * 3600 + earliest.minute * 60 + earliest.second
    second = rng.randrange(start + 1, 20 * 3600)
    return datetime.combine(day, time(second // 3600, second // 60 % 60, second % 60))


def _upload_time(rng: random.Random, period: Period, is_late: bool) -> datetime:
    """Bangkok wall time: within the deadline after the period ends, or a few days late."""
    if is_late:
        day = period.due_date() + timedelta(days=rng.randint(1, LATE_DAYS_MAX))
    else:
        day = period.end_date + timedelta(days=rng.randint(1, DEFAULT_DEADLINE_DAYS))
    return _bangkok(day, rng)


def _resubmission_time(rng: random.Random, period: Period, first: datetime) -> datetime:
    """A later upload of the same period, no later than the last late day."""
    last_day = period.due_date() + timedelta(days=LATE_DAYS_MAX)
    day = min(first.date() + timedelta(days=rng.randint(1, 5)), last_day)
    if day == first.date():
        return _bangkok(day, rng, earliest=first.time())
    return _bangkok(day, rng)


def _clean_row(
    rng: random.Random,
    unit_code: str,
    period: Period,
    kpi: _Kpi,
    kpi_factor: float,
    profile: _Profile,
    uploaded_at: datetime,
) -> _Row:
    factor = profile.performance * kpi_factor
    target = kpi.annual_target
    pace = PERIOD_PACE[period.period_no - 1]
    if kpi.aggregation == "sum":
        per_period = target / 6 * pace * rng.uniform(0.8, 1.2)
        value = per_period / factor if kpi.decrease else per_period * factor
    elif kpi.decrease:
        value = target / factor * rng.uniform(0.9, 1.1)
    else:
        value = target * factor * (0.95 + 0.01 * period.period_no) * rng.uniform(0.95, 1.05)
    if kpi.is_percentage:
        value = min(value, 100.0)
    value = round(max(value, 0.0), kpi.decimals)
    if kpi.decimals == 0:
        value = float(int(value))

    if period.period_no == 1 and value == 0:
        status = "not_started"
    elif factor < 0.8 and rng.random() < 0.7:
        status = "delayed"
    elif period.period_no == 6 and factor >= 1.0:
        status = "completed"
    else:
        status = "in_progress"
    behind = factor < 0.8
    obstacles = rng.choice(OBSTACLES) if rng.random() < (0.3 if behind else 0.06) else ""
    budget: float | None = None
    if rng.random() < 0.55:
        budget = round(rng.uniform(20_000, 3_000_000), 2)
    reported_on = uploaded_at.date() - timedelta(days=1 if rng.random() < 0.2 else 0)
    return _Row(
        unit_code=unit_code,
        fiscal_year=period.fiscal_year,
        period_no=period.key if profile.period_as_key else period.period_no,
        kpi_code=kpi.kpi_code,
        actual_value=value,
        budget_spent_baht=budget,
        status=STATUS_TH[status],
        obstacles=obstacles,
        reported_on=reported_on,
        reporter=profile.reporter,
    )


def _break_rows(
    rng: random.Random,
    rows: list[_Row],
    p_bad: float,
    peers: list[str],
    known_kpis: set[str],
) -> tuple[list[_Row], int, list[str]]:
    """Copy of `rows` with a few deliberately bad ones; returns rows, bad-row count, kinds."""
    out: list[_Row] = []
    kinds: list[str] = []
    n_bad = 0
    for row in rows:
        if rng.random() >= p_bad:
            out.append(row)
            continue
        kind = rng.choice(BAD_KINDS)
        kinds.append(kind)
        bad = _Row(**vars(row))
        if kind == "unknown_kpi":
            code = f"K{rng.randrange(9000, 10000):04d}"
            while code in known_kpis:
                code = f"K{rng.randrange(9000, 10000):04d}"
            bad.kpi_code = code
        elif kind == "negative_value":
            value = row.actual_value
            bad.actual_value = -(value if isinstance(value, float) and value > 0 else 1.0)
        elif kind == "wrong_unit":
            bad.unit_code = rng.choice(peers)
        elif kind == "text_value":
            bad.actual_value = rng.choice(NUMBER_WORDS)
        elif kind == "period_out_of_range":
            bad.period_no = rng.choice([7, 8, 0])
        if kind == "duplicate_kpi":
            out.append(row)
            again = _Row(**vars(row))
            value = row.actual_value
            if isinstance(value, float):
                again.actual_value = round(value * rng.uniform(1.1, 1.5) + 1, 1)
            out.append(again)
            n_bad += 2
        else:
            out.append(bad)
            n_bad += 1
    return out, n_bad, kinds


def _correct_row(rng: random.Random, row: _Row, resubmitted_at: datetime) -> _Row:
    """The row as resent: some values revised, dated the day of the new upload."""
    fixed = _Row(**vars(row))
    value = row.actual_value
    if isinstance(value, float) and rng.random() < 0.4:
        revised = value * rng.uniform(0.85, 1.2)
        fixed.actual_value = float(round(revised, 1 if value != int(value) else 0))
    fixed.reported_on = resubmitted_at.date()
    return fixed


# ---- rendering -------------------------------------------------------------------------


def _format_number(value: float | str | None, decimals: int, style: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if style == "thousands":
        return f"{value:,.2f}"
    text = f"{value:.{decimals}f}" if decimals else str(int(value))
    return text.translate(_THAI_DIGITS) if style == "thai_digits" else text


def _decimals_of(value: float | str | None) -> int:
    if isinstance(value, float) and not value.is_integer():
        return 1 if round(value, 1) == value else 2
    return 0


def _format_date(day: date, style: str) -> str:
    year_be = day.year + 543
    if style == "iso":
        return day.isoformat()
    if style in ("be_slash", "excel_be"):
        return f"{day.day:02d}/{day.month:02d}/{year_be}"
    if style == "thai_month":
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {year_be}"
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {year_be % 100:02d}"


def _headers(profile: _Profile) -> list[str]:
    if not profile.thai_headers:
        return list(CANONICAL_HEADERS)
    headers = list(THAI_HEADERS)
    if profile.short_period_header:
        headers[SUBMISSION.names.index("period_no")] = SHORT_PERIOD_HEADER
    return headers


def _text_cells(row: _Row, profile: _Profile, rng: random.Random) -> list[str]:
    style = profile.number_style
    budget = _format_number(row.budget_spent_baht, 2, style)
    if row.budget_spent_baht is None and rng.random() < 0.05:
        budget = "-"
    reported_on = _format_date(row.reported_on, profile.date_style)
    if style == "thai_digits":
        reported_on = reported_on.translate(_THAI_DIGITS)
    return [
        row.unit_code,
        str(row.fiscal_year),
        str(row.period_no),
        row.kpi_code,
        _format_number(row.actual_value, _decimals_of(row.actual_value), style),
        budget,
        row.status,
        row.obstacles,
        reported_on,
        row.reporter,
    ]


def _write_file(
    folder: Path,
    stem: str,
    file_format: str,
    rows: list[_Row],
    profile: _Profile,
    title: str,
    period: Period,
    rng: random.Random,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "xlsx":
        path = folder / f"{stem}.xlsx"
        path.write_bytes(_xlsx_bytes(rows, profile, title, period, rng))
        return path
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-cp874": "cp874"}[file_format]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_headers(profile))
    for row in rows:
        writer.writerow(_text_cells(row, profile, rng))
    if profile.blank_tail:
        for _ in range(rng.randint(1, 3)):
            writer.writerow([""] * len(CANONICAL_HEADERS))
    path = folder / f"{stem}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx_bytes(
    rows: list[_Row], profile: _Profile, title: str, period: Period, rng: random.Random
) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "แบบรายงาน"
    if profile.title_row:
        sheet.append([f"{title} ปีงบประมาณ {period.fiscal_year} งวดที่ {period.period_no}"])
        sheet.append([])
    sheet.append(_headers(profile))
    plain = profile.number_style == "plain"
    for row in rows:
        cells: list[object] = _text_cells(row, profile, rng)
        if plain:
            cells[1] = row.fiscal_year
            if isinstance(row.period_no, int):
                cells[2] = row.period_no
            if isinstance(row.actual_value, float):
                value = row.actual_value
                cells[4] = int(value) if value.is_integer() else value
            if row.budget_spent_baht is not None:
                cells[5] = row.budget_spent_baht
        if profile.date_style == "excel_be":
            # A CE date cell that Excel shows in BE through a Thai format code.
            cells[8] = datetime.combine(row.reported_on, time())
        sheet.append(cells)
        line = sheet.max_row
        if plain and row.budget_spent_baht is not None:
            sheet.cell(line, 6).number_format = "#,##0.00"
        if profile.date_style == "excel_be":
            sheet.cell(line, 9).number_format = rng.choice(
                ["[$-107041E]d/m/yyyy;@", "d/m/bbbb", "[$-107041E]d mmm yy;@"]
            )
    if profile.blank_tail:
        first_blank = sheet.max_row + 1
        for line in range(first_blank, first_blank + rng.randint(1, 3)):
            sheet.cell(line, 1).number_format = "@"  # styled but empty: a blank row
    return _deterministic_zip(workbook)


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_FIXED_STAMP = datetime(2020, 1, 1)


def _deterministic_zip(workbook: openpyxl.Workbook) -> bytes:
    """Save a workbook with fixed document dates and zip entry times (same bytes each run)."""
    workbook.properties.creator = "BMA Digital Plans"
    workbook.properties.created = _FIXED_STAMP
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>2020-01-01T00:00:00Z\g<3>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def _set_mtime(path: Path, bangkok_wall_time: datetime) -> None:
    epoch = bangkok_wall_time.replace(tzinfo=BANGKOK).timestamp()
    os.utime(path, (epoch, epoch))
