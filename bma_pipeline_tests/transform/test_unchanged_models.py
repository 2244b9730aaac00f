"""The models of plans and reference data alone are left out of a build only while what they
read is what their last complete build read (`bma_pipeline/unchanged_models.py`).

The pipeline's side (a run leaves them out, then builds them again when a plan arrives) is
tested on the reports' session warehouse: `reports/test_report_freshness.py`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bma_pipeline import unchanged_models as um
from bma_pipeline.columns import PLAN_TABLES, PLANS_SCHEMA
from bma_pipeline.plans.freshness import record_build
from bma_pipeline.reference.catalog import read_city_reference
from bma_pipeline.reference.load import load_reference_tables
from bma_pipeline.warehouse import connect

from .conftest import DBT_PROJECT_DIR

MANIFEST = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))


def _names(ids: frozenset[str]) -> set[str]:
    return {MANIFEST["nodes"][uid]["name"] for uid in ids}


def test_the_stable_models_are_those_of_plans_and_reference_data_alone():
    stable = um.stable_nodes(MANIFEST)
    models = _names(stable.models)
    assert {
        "stg_plans__targets",
        "stg_reference__units",
        "int_targets_in_force",
        "int_unit_roles_in_force",
        "dim_unit",
        "dim_kpi",
        "dim_target",
        "mart_plan_revisions",
    } <= models
    # Submissions, minutes, the as-of time or the period reach these: never left out.
    assert not models & {
        "stg_raw__submission_rows",
        "int_kpi_values_current",
        "int_kpi_progress_computed",
        "fct_kpi_progress",
        "mart_meetings",
        "mart_submission_compliance",
    }
    for uid in stable.models:  # every source they read is in plans or reference
        for parent in MANIFEST["nodes"][uid]["depends_on"]["nodes"]:
            if parent.startswith("source."):
                assert MANIFEST["sources"][parent]["schema"] in ("plans", "reference"), uid
    tests = _names(stable.tests)
    assert "unique_dim_unit_unit_code" in tests
    # A test of a mart against a dim reads the mart too: it runs in every build.
    assert not [name for name in tests if name.startswith("relationships_fct_kpi_progress")]
    assert all(
        set(MANIFEST["nodes"][uid]["depends_on"]["nodes"]) <= stable.models for uid in stable.tests
    )


def _manifest(model_sql: str, macro_sql: str, hook_sql: str = "") -> dict:
    """A project of one source in plans, a model over it using macro `m` and the lock hook,
    and a child model, with a test on each."""
    source = "source.p.plans.targets"

    def node(name: str, parents: list[str], kind: str = "model", sql: str = "select 1") -> dict:
        return {
            "resource_type": kind,
            "name": name,
            "raw_code": sql,
            "schema": "marts",
            "depends_on": {"nodes": parents, "macros": ["macro.p.m", "macro.p.lock"]},
        }

    return {
        "sources": {source: {"schema": "plans", "name": "targets"}},
        "macros": {
            "macro.p.m": {"name": "m", "macro_sql": macro_sql, "depends_on": {"macros": []}},
            "macro.p.lock": {
                "name": "assert_writer_lock_held",
                "macro_sql": hook_sql,
                "depends_on": {"macros": ["macro.p.reads"]},
            },
            "macro.p.reads": {
                "name": "reads",
                "macro_sql": "{{ env_var('X') }}",
                "depends_on": {"macros": []},
            },
        },
        "nodes": {
            "model.p.a": node("a", [source], sql=model_sql),
            "model.p.b": node("b", ["model.p.a"]),
            "test.p.t_a": node("t_a", ["model.p.a"], "test"),
            "test.p.t_b": node("t_b", ["model.p.b"], "test"),
        },
    }


def test_a_model_reading_run_state_and_every_model_built_from_it_are_not_stable():
    plain = um.stable_nodes(_manifest("select * from t", "{{ return(1) }}"))
    assert plain.models == {"model.p.a", "model.p.b"}  # the lock hook does not count
    assert plain.tests == {"test.p.t_a", "test.p.t_b"}
    for model_sql, macro_sql in (
        ("select {{ m() }}", "{{ var('as_of') }}"),
        ("select * from t where at <= current_timestamp", "{{ return(1) }}"),
        ("select '{{ run_started_at }}'", "{{ return(1) }}"),
    ):
        found = um.stable_nodes(_manifest(model_sql, macro_sql))
        assert found.models == frozenset() and found.tests == frozenset(), model_sql


@pytest.fixture
def warehouse(tmp_path: Path) -> str:
    """Reference data, schema plans with its stamp, and every stable relation (empty)."""
    path = str(tmp_path / "w.duckdb")
    with connect(path) as wh:
        load_reference_tables(wh, read_city_reference())
        for table in PLAN_TABLES:
            wh.ensure_schema(PLANS_SCHEMA)
            wh.create_table(PLANS_SCHEMA, table.name, table.sql_types)
        record_build(wh, "plans-v1", 1)
        for uid in um.stable_nodes(MANIFEST).models:
            node = MANIFEST["nodes"][uid]
            wh.ensure_schema(node["schema"])
            wh.execute(f"create table {node['schema']}.{node['alias']} (x integer)")
    return path


def _decide(path: str, project: Path = DBT_PROJECT_DIR, full_refresh: bool = False) -> um.Decision:
    with connect(path) as wh:
        return um.decide(wh, project, MANIFEST, full_refresh)


def _stamp(path: str, decision: um.Decision) -> um.Stamp:
    assert decision.fingerprint is not None
    with connect(path) as wh:
        return um.write_stamp(wh, decision.fingerprint, um.stable_nodes(MANIFEST).all)


def test_left_out_only_while_plans_reference_code_and_relations_are_as_stamped(
    warehouse: str, tmp_path: Path
):
    first = _decide(warehouse)
    assert (first.reused, first.reason) == (None, "no complete build of them recorded")
    stamp = _stamp(warehouse, first)

    again = _decide(warehouse)
    assert again.reused == stamp and again.leaves_out == um.stable_nodes(MANIFEST).all
    assert again.fingerprint == first.fingerprint
    assert _decide(warehouse, full_refresh=True).reason == "full refresh"
    assert _decide(warehouse).reused is None  # a decision to rebuild drops the stamp

    def changed(change) -> um.Decision:  # noqa: ANN001
        _stamp(warehouse, _decide(warehouse))
        assert _decide(warehouse).reused is not None
        with connect(warehouse) as wh:
            change(wh)
        decision = _decide(warehouse)
        with connect(warehouse) as wh:
            assert um.read_stamp(wh) is None  # dropped: only a complete build stamps again
        return decision

    renamed = changed(
        lambda wh: wh.execute("update reference.units set name_en = 'X' where unit_code = '1001'")
    )
    assert renamed.reason == "plans, reference data or dbt code changed since their last build"
    assert changed(lambda wh: record_build(wh, "plans-v2", 2)).reused is None
    assert changed(lambda wh: wh.execute("drop table marts.dim_unit")).reason == (
        "dim_unit is missing from the warehouse"
    )
    with connect(warehouse) as wh:
        wh.execute("create table marts.dim_unit (x integer)")
        wh.execute(f"drop table {PLANS_SCHEMA}.build_inputs")  # plans written without one
    assert _decide(warehouse).fingerprint is None

    # Any change to the dbt code: a copy of the project with one macro edited.
    with connect(warehouse) as wh:
        record_build(wh, "plans-v3", 3)
    project = tmp_path / "dbt_project"
    for entry in um._PROJECT_CODE:
        source = DBT_PROJECT_DIR / entry
        if source.is_dir():
            shutil.copytree(source, project / entry)
        else:
            shutil.copyfile(source, project / entry)
    _stamp(warehouse, _decide(warehouse, project))
    assert _decide(warehouse, project).reused is not None
    macro = project / "macros" / "figures.sql"
    macro.write_text(macro.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert _decide(warehouse, project).reused is None


def test_only_a_build_that_ran_and_passed_every_stable_node_vouches_for_them():
    wanted = um.stable_nodes(MANIFEST).all
    results = {"results": [{"unique_id": uid, "status": "pass"} for uid in sorted(wanted)]}
    results["results"] += [{"unique_id": "model.bma.fct_kpi_progress", "status": "error"}]
    assert um.vouched_nodes(MANIFEST, results) == wanted  # other nodes do not matter
    one = sorted(wanted)[0]
    for status in ("fail", "warn", "error", "skipped"):
        failed = [
            {"unique_id": r["unique_id"], "status": status if r["unique_id"] == one else "pass"}
            for r in results["results"]
        ]
        assert um.vouched_nodes(MANIFEST, {"results": failed}) == frozenset(), status
    partial = [r for r in results["results"] if r["unique_id"] != one]
    assert um.vouched_nodes(MANIFEST, {"results": partial}) == frozenset()
