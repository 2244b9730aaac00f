"""Read the plan ledger's accepted rows and write schema `plans` (versions, the plan in force).

What belongs here: the warehouse side of `versions.py` — reading the accepted rows of every
plan file (ingested, validated, no quarantine entry), building the plan tables as of a time,
and replacing schema `plans` in one transaction; and reading the plan in force back for
submission validation (`PlanInForce`). What does not: the replacement rule (`versions.py`)
or the rules a plan row must meet (`rules.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from bma_pipeline.columns import PLAN, PLAN_BUILD, PLAN_TABLES, PLANS_SCHEMA
from bma_pipeline.plans.freshness import inputs_fingerprint, record_build, stored_fingerprint
from bma_pipeline.plans.in_force import PlanInForce
from bma_pipeline.plans.versions import PlanTables, build_plan_tables
from bma_pipeline.reference.catalog import Catalog
from bma_pipeline.warehouse import Warehouse


def _of_year(fiscal_year: int | None, file_id: str) -> str:
    """A condition keeping the plan files of one fiscal year (their `plan` row says so)."""
    if fiscal_year is None:
        return ""
    return (
        f"and {file_id} in (select file_id from {PLAN.rows.qualified} "
        "where sheet = 'plan' and fiscal_year = :fiscal_year)"
    )


def plan_files(wh: Warehouse, fiscal_year: int | None = None) -> pd.DataFrame:
    """Every ingested, validated plan file as a would-be version (of one fiscal year only,
    when given)."""
    return wh.query(
        f"""
        select file_id as plan_version_id, unit_folder as sender_unit, file_name, path,
               received_at
        from {PLAN.files.qualified}
        where outcome = 'ingested' and validated_at is not null {_of_year(fiscal_year, "file_id")}
        order by file_id
        """,
        {"fiscal_year": fiscal_year} if fiscal_year is not None else None,
    )


def accepted_plan_rows(
    wh: Warehouse, before: datetime | None = None, fiscal_year: int | None = None
) -> dict[str, pd.DataFrame]:
    """The accepted rows of every validated plan file, per sheet, with `plan_version_id`
    (only files received before `before`, and of `fiscal_year`, when given)."""
    received = "and f.received_at < :before" if before is not None else ""
    params: dict[str, object] = {"before": before, "fiscal_year": fiscal_year}
    rows = wh.query(
        f"""
        select r.*
        from {PLAN.rows.qualified} r
        join {PLAN.files.qualified} f on f.file_id = r.file_id
        where f.outcome = 'ingested' and f.validated_at is not null {received}
          {_of_year(fiscal_year, "f.file_id")}
          and not exists (
              select 1 from {PLAN.quarantine.qualified} q
              where q.file_id = r.file_id and q.sheet = r.sheet and q.row_number = r.row_number
          )
        order by r.file_id, r.sheet, r.row_number
        """,
        {k: v for k, v in params.items() if v is not None} or None,
    )
    rows = rows.rename(columns={"file_id": "plan_version_id"})
    out = {}
    for layout in PLAN.sheets:
        sheet = rows[rows["sheet"] == layout.name].reset_index(drop=True)
        keep = ["plan_version_id", *layout.names]
        keep += [str(c.key_year) for c in layout.columns if c.key_year]
        out[layout.name] = sheet[keep]
    return out


def reference_dimensions(wh: Warehouse) -> pd.DataFrame:
    return wh.query("select dimension_code, name_th, name_en from reference.dimensions")


def plan_tables(
    wh: Warehouse, as_of: datetime, before: datetime | None = None, fiscal_year: int | None = None
) -> PlanTables:
    """The plan tables from the ledger as of `as_of` (files received before `before` only; of
    `fiscal_year` only: a version is for one year and replaces only versions of that year)."""
    files = plan_files(wh, fiscal_year)
    if before is not None:
        files = files[pd.to_datetime(files["received_at"]) < pd.Timestamp(before)]
    rows = accepted_plan_rows(wh, before, fiscal_year)
    return build_plan_tables(files, rows, reference_dimensions(wh), as_of)


def write_plan_tables(
    wh: Warehouse, tables: PlanTables, built_from: tuple[str, int] | None = None
) -> dict[str, int]:
    """Replace every table of schema `plans`, stamped with `built_from` (the fingerprint of
    the inputs and their number of plan files; without it the stamp is removed, so the next
    run builds again); returns row counts by table."""
    frames = tables.as_dict()
    counts = {}
    with wh.transaction():
        for table in PLAN_TABLES:
            frame = frames[table.name].reindex(columns=list(table.names))
            counts[table.name] = wh.replace(PLANS_SCHEMA, table.name, frame, table.sql_types)
        if built_from is None:
            wh.execute(f"drop table if exists {PLAN_BUILD.qualified}")
        else:
            record_build(wh, *built_from)
    return counts


@dataclass
class PlanRefresh:
    """What the plan step did: schema plans' row counts and versions, and whether it rebuilt
    them (False: the inputs were those of the last build)."""

    counts: dict[str, int]
    versions: pd.DataFrame
    rebuilt: bool
    n_plan_files: int


def refresh_plan_tables(wh: Warehouse, as_of: datetime) -> PlanRefresh:
    """Schema plans as of `as_of`, rebuilt only when its inputs changed since the last build
    (`freshness.py`)."""
    fingerprint, n_files = inputs_fingerprint(wh, as_of)
    if stored_fingerprint(wh) == fingerprint:
        counts = {
            table.name: int(wh.scalar(f"select count(*) from {table.qualified}"))
            for table in PLAN_TABLES
        }
        versions = wh.query(f"select * from {PLANS_SCHEMA}.versions order by plan_version_id")
        return PlanRefresh(counts, versions, rebuilt=False, n_plan_files=n_files)
    tables = plan_tables(wh, as_of=as_of)
    counts = write_plan_tables(wh, tables, built_from=(fingerprint, n_files))
    return PlanRefresh(counts, tables.versions, rebuilt=True, n_plan_files=n_files)


def read_plan_in_force(wh: Warehouse) -> PlanInForce:
    """The plan in force as schema `plans` holds it (written by this run's plan step)."""
    units = frozenset(wh.query("select unit_code from reference.units")["unit_code"])
    if not wh.table_exists(PLANS_SCHEMA, "policy_in_force"):
        return PlanInForce.empty(units)
    kpis = wh.query(
        """
        select f.fiscal_year, f.period_no, k.kpi_code, k.policy_code
        from plans.policy_in_force f
        join plans.kpis k on k.plan_version_id = f.plan_version_id
                         and k.policy_code = f.policy_code
        """
    )
    assignments = wh.query(
        """
        select f.fiscal_year, f.period_no, a.policy_code, a.unit_code, a.role
        from plans.policy_in_force f
        join plans.assignments a on a.plan_version_id = f.plan_version_id
                                and a.policy_code = f.policy_code
        """
    )
    years = wh.query("select distinct fiscal_year from plans.versions order by fiscal_year")
    return PlanInForce(units, tuple(int(y) for y in years["fiscal_year"]), kpis, assignments)


class NoPlanInForce(LookupError):
    """The warehouse holds no plan for what was asked (no plan yet, or not that year)."""


def read_plan_tables(wh: Warehouse) -> PlanTables:
    """Schema `plans` as this run's plan step wrote it (every version, the plan in force)."""
    if not wh.table_exists(PLANS_SCHEMA, "versions"):
        raise NoPlanInForce(
            f"no plans in the warehouse {wh.location.display}: run the pipeline on a landing "
            "folder with SED's plan (landing/SED/plans/) first"
        )
    return PlanTables(
        **{table.name: wh.query(f"select * from {table.qualified}") for table in PLAN_TABLES}
    )


def catalog_in_force(wh: Warehouse, fiscal_year: int, period: int) -> Catalog:
    """The plan in force at (fiscal year, period) as a `Catalog`: the KPIs, assignments and
    targets of each policy's version in force then, with the city's reference data."""
    tables = read_plan_tables(wh)
    in_force = tables.policy_in_force
    keys = in_force[(in_force["fiscal_year"] == fiscal_year) & (in_force["period_no"] == period)]
    keys = keys[["plan_version_id", "policy_code"]]
    if keys.empty:
        years = sorted(set(in_force["fiscal_year"]))
        raise NoPlanInForce(
            f"no plan in force for fiscal year {fiscal_year} period {period} "
            f"(years with a plan: {', '.join(str(y) for y in years) or 'none'})"
        )
    policies = tables.policies.merge(keys)
    dims = tables.policy_dimensions.merge(keys).sort_values("position")
    listed = dims.groupby("policy_code")["dimension_code"].agg(",".join)
    policies = policies.assign(dimensions=policies["policy_code"].map(listed))
    targets = tables.targets.merge(keys).assign(fiscal_year=fiscal_year)
    key_projects = policies.loc[policies["is_key_project"].astype(bool), ["policy_code"]]
    reference = {
        name: wh.query(f"select * from reference.{name}")
        for name in ("mission_groups", "dimensions", "units")
    }
    return Catalog(
        mission_groups=reference["mission_groups"],
        dimensions=reference["dimensions"],
        units=reference["units"],
        policies=policies,
        kpis=tables.kpis.merge(keys),
        assignments=tables.assignments.merge(keys),
        targets=targets,
        key_projects=key_projects.assign(fiscal_year=fiscal_year),
        projects=tables.projects.merge(keys),
    )


def load_plans(
    wh: Warehouse,
    landing: Path,
    as_of: datetime,
    reference_dir: Path | None = None,
    max_bytes: int | None = None,
) -> PlanTables:
    """Everything the `reference` and `plans` assets do, in one call (tests, tools): load the
    reference CSVs, take every new plan file into the ledger, judge it and write schema
    `plans` as of `as_of`."""
    from bma_pipeline.intake.readers import DEFAULT_MAX_BYTES
    from bma_pipeline.intake.workbook_ledger import ingest_workbooks
    from bma_pipeline.plans.apply import validate_pending_plans
    from bma_pipeline.reference.catalog import CITY_DIR, read_city_reference
    from bma_pipeline.reference.load import load_reference_tables

    frames = read_city_reference(reference_dir or CITY_DIR)
    load_reference_tables(wh, frames)
    units = set(frames["units"]["unit_code"])
    # Files written just now (tests, tools) are taken: no settling interval.
    limit = max_bytes or DEFAULT_MAX_BYTES
    ingest_workbooks(wh, landing, PLAN, units, max_bytes=limit, settle_seconds=0)
    validate_pending_plans(wh)
    tables = plan_tables(wh, as_of=as_of)
    write_plan_tables(wh, tables, built_from=inputs_fingerprint(wh, as_of))
    return tables
