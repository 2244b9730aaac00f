"""The code location loads, and its shape (keys, groups, checks) shows in review when it changes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from bma_pipeline.definitions import defs
from bma_pipeline.publish.publish import published_marts

REPO = Path(__file__).resolve().parents[1]

EXPECTED_GROUPS = {
    "reference",
    "plans",
    "minutes",
    "intake",
    "validation",
    "transform",
    "marts",
    "reports",
}

MARTS = {
    "fct_kpi_progress",
    "mart_policy_progress",
    "mart_unit_progress",
    "mart_group_progress",
    "mart_submission_compliance",
    "mart_obstacles",
    "dim_policy",
    "dim_kpi",
    "dim_unit",
    "dim_group",
    "dim_dimension",
    "dim_period",
    "dim_assignment",
    "dim_target",
    "dim_plan_version",
    "dim_policy_dimension",
    "dim_project",
    "mart_project_progress",
    "mart_plan_revisions",
    "mart_meetings",
    "mart_commitments",
    "mart_meeting_decisions",
    "mart_meeting_attendance",
    "rpt_policy_lead_units",
    "rpt_most_lagging_policies",
    "rpt_kpi_unit_attention",
    "rpt_kpi_units_by_status",
    "rpt_submission_file_row_counts",
    "rpt_commitments_followed_up",
    "rpt_plan_revisions_on_agenda",
    "rpt_meetings_by_group",
}


def _specs() -> dict[dg.AssetKey, dg.AssetSpec]:
    graph = defs.resolve_asset_graph()
    return {key: graph.get(key) for key in graph.get_all_asset_keys()}


def test_definitions_load_and_validate():
    dg.Definitions.validate_loadable(defs)


def test_every_asset_has_a_group_and_a_description():
    graph = defs.resolve_asset_graph()
    materializable = [graph.get(k) for k in graph.materializable_asset_keys]
    assert materializable
    for node in materializable:
        assert node.group_name in EXPECTED_GROUPS, node.key
        assert (node.description or "").strip(), f"{node.key.to_user_string()} has no description"


def test_groups_hold_the_layers():
    graph = defs.resolve_asset_graph()
    groups = {graph.get(k).group_name for k in graph.materializable_asset_keys}
    assert groups == EXPECTED_GROUPS
    keys = {k.to_user_string() for k in graph.materializable_asset_keys}
    assert {"raw/submission_files", "raw/submission_rows", "raw/quarantined_rows"} <= keys
    assert {f"marts/{m}" for m in MARTS} <= keys
    assert set(published_marts()) == MARTS  # BI tools see every mart through `bi`
    assert graph.get(dg.AssetKey(["marts", "fct_kpi_progress"])).group_name == "marts"
    assert graph.get(dg.AssetKey(["raw", "quarantined_rows"])).group_name == "validation"


def test_dbt_sources_are_wired_to_the_python_assets():
    graph = defs.resolve_asset_graph()
    staging_rows = [
        k for k in graph.materializable_asset_keys if k.path[-1] == "stg_raw__submission_rows"
    ]
    assert staging_rows, "staging model for submission rows is missing"
    parents = graph.get(staging_rows[0]).parent_keys
    assert dg.AssetKey(["raw", "submission_rows"]) in parents


def test_ledger_checks_and_dbt_tests_become_asset_checks():
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("raw/quarantined_rows", "ledger_conservation") in checks
    assert ("raw/quarantined_rows", "quarantine_rate_per_unit") in checks
    assert any(key.startswith("marts/") for key, _ in checks), "no dbt test became a check"
    # Every singular test over models is a check, one over several on the model its meta
    # names (the personal-data test reads the catalogue, no model).
    singular = {p.stem for p in (REPO / "dbt_project" / "tests").glob("*.sql")}
    assert singular - {name for _, name in checks} == {"assert_no_personal_data_outside_raw"}
    assert ("staging/stg_plans__policies", "assert_plan_version_rows_unique") in checks


def test_every_dbt_model_is_built_by_one_partitioned_step():
    """One dbt invocation per run: every model, staging views included, is one multi-asset
    partitioned by period; the reference tables are not partitioned."""
    graph = defs.resolve_asset_graph()
    partitioned = {
        k.to_user_string() for k in graph.materializable_asset_keys if graph.get(k).partitions_def
    }
    assert {"raw/submission_files", "raw/quarantined_rows", "marts/fct_kpi_progress"} <= partitioned
    assert {"marts/mart_submission_compliance", "staging/stg_raw__submission_rows"} <= partitioned
    assert not {k for k in partitioned if k.startswith("reference/")}
    steps = {
        graph.get(k).assets_def.node_def.name
        for k in graph.materializable_asset_keys
        if k.path[0] in ("staging", "intermediate", "marts")
    }
    assert steps == {"bma_dbt_models"}


def test_jobs_schedules_and_sensor_are_registered():
    repo = defs.get_repository_def()
    assert {j.name for j in repo.get_all_jobs()} >= {
        "period_pipeline_job",
        "compliance_refresh_job",
    }
    schedules = {s.name: s.cron_schedule for s in repo.schedule_defs}
    assert schedules == {
        "period_rollup_schedule": "0 1 11 2,4,6,8,10,12 *",
        "daily_compliance_schedule": "0 7 * * *",
    }
    assert [s.name for s in repo.sensor_defs] == ["landing_sensor"]
