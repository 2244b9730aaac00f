from datetime import date, datetime

import pandas as pd
import pytest

from bma_pipeline.warehouse import WarehouseLocation, connect

COLUMNS = {
    "id": "bigint",
    "name": "varchar",
    "value": "double precision",
    "day": "date",
    "at": "timestamp",
}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["สำนักงานเขตพระนคร", "'; drop table t; --", '=HYPERLINK("http://x")'],
            "value": [1.5, None, 3.0],
            "day": [date(2023, 1, 31), None, date(2022, 10, 1)],
            "at": [datetime(2023, 2, 1, 8, 30), datetime(2023, 2, 11, 0, 0), None],
        }
    )


def _round_trip(url: str) -> None:
    with connect(url) as wh:
        wh.create_table("raw", "t", COLUMNS)
        assert wh.append("raw", "t", _frame()) == 3
        back = wh.query("select * from raw.t order by id")
        assert back["name"].tolist() == _frame()["name"].tolist()
        assert back["value"].isna().tolist() == [False, True, False]
        thai = {"name": "สำนักงานเขตพระนคร"}
        assert wh.scalar("select count(*) from raw.t where name = :name", thai) == 1
        assert wh.table_exists("raw", "t")
        with pytest.raises(RuntimeError):
            with wh.transaction():
                wh.append("raw", "t", _frame())
                raise RuntimeError("killed mid-load")
        assert wh.scalar("select count(*) from raw.t") == 3


def test_duckdb_round_trip_keeps_thai_and_hostile_text_verbatim(tmp_path):
    _round_trip(str(tmp_path / "w.duckdb"))


@pytest.mark.postgres
def test_postgres_round_trip_keeps_thai_and_hostile_text_verbatim(pg_database_url):
    _round_trip(pg_database_url)


def test_location_gives_dbt_the_same_warehouse(tmp_path):
    duck = WarehouseLocation.parse(tmp_path / "w.duckdb")
    assert duck.dbt_env() == {
        "BMA_DBT_TARGET": "duckdb",
        "BMA_DUCKDB_PATH": str((tmp_path / "w.duckdb").resolve()),
    }
    pg = WarehouseLocation.parse("postgresql://bma:s%40cret@db.internal:6543/bma_prod")
    assert pg.dbt_env() == {
        "BMA_DBT_TARGET": "postgres",
        "BMA_PG_HOST": "db.internal",
        "BMA_PG_PORT": "6543",
        "BMA_PG_USER": "bma",
        "BMA_PG_PASSWORD": "s@cret",
        "BMA_PG_DBNAME": "bma_prod",
    }
    assert "s%40cret" not in pg.display


def _literal_marks_stay_literal(url: str) -> None:
    """Named parameters are bound by the driver; '?', '%', '::' and ':30' in the text stay."""
    with connect(url) as wh:
        frame = wh.query(
            "select '?' as question, '50%' as pct, cast(:n as integer) + 1 as n, "
            "'10:30' as clock, :name as name",
            {"n": 41, "name": "'; drop table x; --"},
        )
        assert frame.iloc[0].tolist() == ["?", "50%", 42, "10:30", "'; drop table x; --"]
        codes = wh.query(
            "select code from (values ('K0001'), ('K0002'), ('K0003')) as t(code) "
            "where code in :codes order by code",
            {"codes": ["K0001", "K0003"]},
        )
        assert codes["code"].tolist() == ["K0001", "K0003"]


def test_duckdb_binds_named_parameters_without_rewriting_the_statement(tmp_path):
    _literal_marks_stay_literal(str(tmp_path / "w.duckdb"))


@pytest.mark.postgres
def test_postgres_keeps_a_literal_question_mark_and_the_json_operator(pg_database_url):
    _literal_marks_stay_literal(pg_database_url)
    with connect(pg_database_url) as wh:
        # '?' is PostgreSQL's "has key" operator on jsonb: with and without bound parameters.
        assert bool(wh.scalar("""select '{"k": 1}'::jsonb ? 'k'"""))
        assert wh.scalar("""select cast(:doc as jsonb) ? :key""", {"doc": '{"k": 1}', "key": "k"})
        assert wh.scalar("select :pct || '%'", {"pct": "12"}) == "12%"
