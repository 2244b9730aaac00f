"""Sample minutes of the H–R meetings (DOMAIN §7): what each lead unit's meeting with its
supporting units decided and promised, period after period, in `landing/<unit>/meetings/`.

What belongs here: simulating a year of meetings from the plan in force — most lead units meet
by the deadline, some late, one never; attendance of their supporting units; decisions on their
policies; commitments with an owner, a due date, a policy and a KPI; updates at later meetings
that close commitments (done), drop them or leave them open past their due date (overdue); one
corrected resubmission and one file with bad rows — each file with its received time. Drawn
from `random.Random` streams seeded by (seed, unit, period): the same seed gives the same files.
What does not: reading or judging minutes (the pipeline).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import MINUTES
from bma_pipeline.fiscal import DEFAULT_DEADLINE_DAYS, Period
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.workbook_writer import write_workbook
from bma_sample.plans import _set_mtime

NEVER_MEETS = "CPD"  # one lead unit never sends minutes
P_LATE = 0.15  # a meeting held after the submission deadline
P_MISSING = 0.05  # a period without minutes
P_PRESENT = 0.85
DECISIONS = (
    "เร่งรัดหน่วยงานสนับสนุนที่ยังไม่ส่งรายงานให้ส่งภายในสัปดาห์หน้า",
    "จัดประชุมเชิงปฏิบัติการร่วมกับสำนักงานเขตที่ผลงานต่ำกว่าเป้าหมาย",
    "ขอรับการจัดสรรงบประมาณเพิ่มเติมจากสำนักงบประมาณ",
    "ปรับแผนการดำเนินงานให้สอดคล้องกับฤดูฝน",
    "ให้สำนักงานเขตรายงานปัญหาอุปสรรคทุกสองสัปดาห์",
)
ACTIONS = (
    "ส่งแผนเร่งรัดการดำเนินงานของเขต",
    "ตรวจสอบข้อมูลผลการดำเนินงานที่รายงานต่ำกว่าความเป็นจริง",
    "ประสานหน่วยงานสาธารณูปโภคเพื่อย้ายแนวท่อ",
    "จัดหาอุปกรณ์เพิ่มเติมให้ทันฤดูฝน",
    "จัดอบรมเจ้าหน้าที่ผู้รายงานผล",
)


@dataclass
class MinutesReport:
    files_written: list[Path] = field(default_factory=list)
    late: list[tuple[str, int]] = field(default_factory=list)
    missing: list[tuple[str, int]] = field(default_factory=list)
    resubmitted: list[tuple[str, int]] = field(default_factory=list)
    with_bad_rows: list[Path] = field(default_factory=list)


@dataclass
class _Commitment:
    commitment_id: str
    owner_unit: str
    due_date: date
    policy_code: str
    kpi_code: str | None
    fate: str  # done, dropped or open (left overdue)
    closes_after: int  # the number of later meetings after which its fate is reported


def _leads(catalog: Catalog) -> dict[str, list[str]]:
    h = catalog.assignments[catalog.assignments["role"] == "H"]
    return {unit: sorted(group["policy_code"]) for unit, group in h.groupby("unit_code")}


def _support(catalog: Catalog, policies: list[str], unit: str) -> list[str]:
    r = catalog.assignments[
        catalog.assignments["policy_code"].isin(policies) & (catalog.assignments["role"] == "R")
    ]
    return sorted(set(r["unit_code"]) - {unit})


def write_sample_minutes(
    out_dir: Path,
    fiscal_year: int,
    periods: list[int],
    seed: int,
    catalog_of_period: dict[int, Catalog],
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> MinutesReport:
    """Minutes of every lead unit's meeting for each of `periods`, from the plan in force then
    (`catalog_of_period[p]`), each with its simulated received time."""
    report = MinutesReport()
    open_by_unit: dict[str, list[_Commitment]] = {}
    counters: dict[str, int] = {}
    first_with_bad_rows = True
    resubmitted = False
    for period_no in sorted(periods):
        period = Period(fiscal_year, period_no)
        catalog = catalog_of_period[period_no]
        due = period.end_date + timedelta(days=deadline_days)
        for unit, policies in sorted(_leads(catalog).items()):
            rng = random.Random(f"{seed}:{fiscal_year}:{unit}:P{period_no}:minutes")
            if unit == NEVER_MEETS or rng.random() < P_MISSING:
                report.missing.append((unit, period_no))
                continue
            late = rng.random() < P_LATE
            if late:
                meeting = due + timedelta(days=rng.randint(2, 20))
                report.late.append((unit, period_no))
            else:
                meeting = period.end_date + timedelta(days=rng.randint(1, deadline_days))
            support = _support(catalog, policies, unit)
            attendance = pd.DataFrame(
                {
                    "unit_code": support,
                    "present": [rng.random() < P_PRESENT for _ in support],
                }
            )
            decisions = pd.DataFrame(
                [
                    {
                        "decision_no": n,
                        "text": rng.choice(DECISIONS),
                        "policy_code": rng.choice(policies),
                    }
                    for n in range(1, rng.randint(1, 3) + 1)
                ]
            )
            updates = []
            still_open = []
            for commitment in open_by_unit.get(unit, []):
                commitment.closes_after -= 1
                if commitment.closes_after <= 0 and commitment.fate != "open":
                    note = "ดำเนินการเรียบร้อย" if commitment.fate == "done" else "ยกเลิกตามมติที่ประชุม"
                    updates.append(
                        {
                            "commitment_id": commitment.commitment_id,
                            "status": commitment.fate,
                            "note": note,
                        }
                    )
                else:
                    updates.append(
                        {"commitment_id": commitment.commitment_id, "status": "open",
                         "note": "อยู่ระหว่างดำเนินการ"}
                    )  # fmt: skip
                    still_open.append(commitment)
            made = []
            for _ in range(rng.randint(1, 2)):
                counters[unit] = counters.get(unit, 0) + 1
                policy = rng.choice(policies)
                assigned = catalog.assignments[catalog.assignments["policy_code"] == policy]
                kpis = sorted(catalog.kpis.loc[catalog.kpis["policy_code"] == policy, "kpi_code"])
                owners = sorted(assigned["unit_code"])
                fate = rng.choices(["done", "dropped", "open"], [60, 15, 25])[0]
                commitment = _Commitment(
                    commitment_id=f"{unit}-{fiscal_year}-{counters[unit]:02d}",
                    owner_unit=rng.choice(owners),
                    due_date=meeting + timedelta(days=rng.randint(25, 75)),
                    policy_code=policy,
                    kpi_code=rng.choice(kpis) if kpis and rng.random() < 0.7 else None,
                    fate=fate,
                    closes_after=rng.randint(1, 2),
                )
                made.append(commitment)
            commitments = pd.DataFrame(
                [
                    {
                        "commitment_id": c.commitment_id,
                        "action": rng.choice(ACTIONS),
                        "owner_unit": c.owner_unit,
                        "due_date": c.due_date,
                        "policy_code": c.policy_code,
                        "kpi_code": c.kpi_code,
                    }
                    for c in made
                ]
            )
            bad = first_with_bad_rows and period_no == sorted(periods)[0] and len(support) > 2
            if bad:
                # A file with bad rows: an owner no plan assigns, a due date before the meeting.
                commitments = pd.concat(
                    [
                        commitments,
                        pd.DataFrame(
                            [
                                {
                                    "commitment_id": f"{unit}-{fiscal_year}-X1",
                                    "action": rng.choice(ACTIONS),
                                    "owner_unit": "1050" if "1050" not in support else "FIN",
                                    "due_date": meeting + timedelta(days=30),
                                    "policy_code": policies[0],
                                    "kpi_code": None,
                                },
                                {
                                    "commitment_id": f"{unit}-{fiscal_year}-X2",
                                    "action": rng.choice(ACTIONS),
                                    "owner_unit": unit,
                                    "due_date": meeting - timedelta(days=5),
                                    "policy_code": policies[0],
                                    "kpi_code": None,
                                },
                            ]
                        ),
                    ],
                    ignore_index=True,
                )  # fmt: skip
                first_with_bad_rows = False
            frames = {
                "meeting": pd.DataFrame([{"period_key": period.key, "meeting_date": meeting}]),
                "attendance": attendance,
                "decisions": decisions,
                "commitments": commitments,
                "updates": pd.DataFrame(updates),
            }
            received = datetime.combine(
                meeting + timedelta(days=rng.randint(0, 3)), datetime.min.time()
            )
            received = received.replace(hour=rng.randint(9, 16))
            path = Path(out_dir) / unit / "meetings" / f"{period.key}_minutes.xlsx"
            title = f"รายงานการประชุม {unit} งวด {period.key}"
            write_workbook(MINUTES, frames, path, title, created=received)
            _set_mtime(path, received)
            report.files_written.append(path)
            if bad:
                report.with_bad_rows.append(path)
            if not resubmitted and period_no == sorted(periods)[0] and len(decisions) >= 1:
                # A corrected resubmission: the same meeting, one more decision, two days later.
                frames["decisions"] = pd.concat(
                    [decisions, pd.DataFrame([{"decision_no": len(decisions) + 1,
                     "text": rng.choice(DECISIONS), "policy_code": policies[0]}])],
                    ignore_index=True,
                )  # fmt: skip
                resent = received + timedelta(days=2)
                path2 = path.with_name(f"{period.key}_minutes_rev1.xlsx")
                write_workbook(MINUTES, frames, path2, title + " (แก้ไข)", created=resent)
                _set_mtime(path2, resent)
                report.files_written.append(path2)
                report.resubmitted.append((unit, period_no))
                resubmitted = True
            open_by_unit[unit] = still_open + made
    return report
