"""Schema plans is rebuilt only when what it is built from changed (plans/freshness.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bma_pipeline.columns import PLAN_TABLES
from bma_pipeline.plans.store import (
    load_plans,
    plan_tables,
    read_plan_tables,
    refresh_plan_tables,
    write_plan_tables,
)
from bma_pipeline.warehouse import connect
from bma_pipeline_tests.plans.test_plan_intake import AS_OF, REVISION, _landing


@pytest.fixture
def loaded(tmp_path):
    """A warehouse whose schema plans was built as of AS_OF: the city plan and DDS's
    revision (received 2023-02-21) are its two versions."""
    url = str(tmp_path / "warehouse.duckdb")
    with connect(url) as wh:
        load_plans(wh, _landing(tmp_path), as_of=AS_OF)
    return url


def _counts(wh) -> dict[str, int]:
    return {t.name: int(wh.scalar(f"select count(*) from {t.qualified}")) for t in PLAN_TABLES}


def test_the_same_inputs_leave_schema_plans_as_it_is(loaded):
    with connect(loaded) as wh:
        built = _counts(wh)
        # A row removed by hand stays removed: the step did not write the schema again.
        wh.execute("delete from plans.periods where period_no = 6")
        again = refresh_plan_tables(wh, as_of=AS_OF + timedelta(days=30))
        assert not again.rebuilt and again.n_plan_files == 2
        assert again.counts == {**built, "periods": built["periods"] - 1}
        assert sorted(again.versions["sender_unit"]) == ["DDS", "SED"]
        assert int(wh.scalar("select count(*) from plans.periods where period_no = 6")) == 0


def test_an_earlier_as_of_time_rebuilds_without_the_later_file(loaded):
    with connect(loaded) as wh:
        before_revision = REVISION.received_at(2566) - timedelta(hours=1)
        earlier = refresh_plan_tables(wh, as_of=before_revision)
        assert earlier.rebuilt and earlier.n_plan_files == 1
        assert earlier.versions["sender_unit"].tolist() == ["SED"]
        assert read_plan_tables(wh).versions["sender_unit"].tolist() == ["SED"]
        later = refresh_plan_tables(wh, as_of=AS_OF)
        assert later.rebuilt and sorted(later.versions["sender_unit"]) == ["DDS", "SED"]
        # and the same again is left alone
        assert not refresh_plan_tables(wh, as_of=AS_OF).rebuilt


def test_new_dimension_names_a_dropped_table_or_an_unstamped_write_rebuild(loaded):
    with connect(loaded) as wh:
        built = _counts(wh)
        wh.execute("update reference.dimensions set name_en = name_en || ' (renamed)'")
        assert refresh_plan_tables(wh, as_of=AS_OF).rebuilt
        assert not refresh_plan_tables(wh, as_of=AS_OF).rebuilt

        wh.execute("drop table plans.kpis")
        dropped = refresh_plan_tables(wh, as_of=AS_OF)
        assert dropped.rebuilt and dropped.counts == built == _counts(wh)

        # Tables written without a fingerprint (by hand, a tool) are never taken as current.
        write_plan_tables(wh, plan_tables(wh, as_of=datetime(2023, 1, 1)))
        assert refresh_plan_tables(wh, as_of=AS_OF).rebuilt
        assert _counts(wh) == built


def test_a_file_judged_again_rebuilds(loaded):
    with connect(loaded) as wh:
        wh.execute(
            "update raw.plan_files set validated_at = validated_at + interval 1 minute "
            "where unit_folder = 'DDS'"
        )
        assert refresh_plan_tables(wh, as_of=AS_OF).rebuilt
