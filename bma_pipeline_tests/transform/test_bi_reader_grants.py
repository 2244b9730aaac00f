"""A BI user connected as bma_bi_reader sees documented marts and nothing else (docs/DOMAIN.md §5).

The golden fixture is built on a fresh PostgreSQL database (the session's `postgres_build`),
`grant_bi_reader` runs on it, and the test connects as the role itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from bma_pipeline import warehouse
from bma_pipeline.publish.grants import BI_READER_ROLE, grant_bi_reader

from .conftest import MARTS, DbtBuild, load_fixture_duckdb, pg_params


def _admin_url(dbname: str) -> str:
    params = pg_params(dbname)
    password = f":{params['password']}" if params["password"] else ""
    return f"postgresql://{params['user']}{password}@{params['host']}:{params['port']}/{dbname}"


@pytest.fixture(scope="module")
def bi_reader(postgres_build: DbtBuild):
    """A connection as bma_bi_reader to the built golden database, after two grants."""
    import psycopg

    with warehouse.connect(_admin_url(postgres_build.location)) as wh:
        grant_bi_reader(wh)
        grant_bi_reader(wh)  # idempotent: the role and the grants already exist
        # a later dbt rebuild creates new tables; the publisher adds views to bi
        wh.execute("create table marts.mart_rebuilt_later as select 1 as n")
        wh.execute("create view bi.policy_progress as select * from marts.mart_policy_progress")
    params = {**pg_params(postgres_build.location), "user": BI_READER_ROLE, "password": None}
    with psycopg.connect(**params, autocommit=True) as con:
        yield con


def _denied(con, sql: str) -> bool:
    import psycopg

    try:
        con.execute(sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


@pytest.mark.postgres
def test_bi_reader_reads_marts_and_bi_views(bi_reader):
    assert bi_reader.execute("select count(*) from marts.mart_group_progress").fetchone()[0] == 24
    # P001, P002, P003 and P005 × 6 periods (P004 has no targets)
    assert bi_reader.execute("select count(*) from bi.policy_progress").fetchone()[0] == 24
    # default privileges: a table created after the grant is readable too
    assert bi_reader.execute("select n from marts.mart_rebuilt_later").fetchone()[0] == 1


@pytest.mark.postgres
@pytest.mark.parametrize(
    "table",
    [
        "raw.submission_rows",
        "raw.submission_files",
        "raw.quarantined_rows",
        "reference.units",
        "plans.targets",
        "staging.stg_raw__submission_rows",
        "intermediate.int_kpi_values_current",
    ],
)
def test_bi_reader_cannot_read_private_schemas(bi_reader, table: str):
    assert _denied(bi_reader, f"select * from {table} limit 1")


@pytest.mark.postgres
def test_bi_reader_sees_no_other_tables(bi_reader):
    # information_schema lists only the tables a role has some privilege on
    schemas = {
        row[0]
        for row in bi_reader.execute(
            "select distinct table_schema from information_schema.tables "
            "where table_schema not in ('pg_catalog', 'information_schema')"
        )
    }
    assert schemas == {"marts", "bi"}


@pytest.mark.postgres
def test_bi_reader_cannot_write(bi_reader):
    import psycopg

    # sessions of the role are read-only by default …
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        bi_reader.execute("create table marts.from_bi (n integer)")
    # … and without that default the role still has no CREATE on the schemas, nor UPDATE
    bi_reader.execute("set default_transaction_read_only = off")
    try:
        assert _denied(bi_reader, "create table marts.from_bi (n integer)")
        assert _denied(bi_reader, "create table bi.from_bi (n integer)")
        assert _denied(bi_reader, "update marts.dim_group set name_en = 'x'")
    finally:
        bi_reader.execute("reset default_transaction_read_only")


@pytest.mark.postgres
@pytest.mark.parametrize("mart", MARTS)
def test_bi_reader_sees_documented_marts(bi_reader, mart: str):
    table_comment = bi_reader.execute(
        "select obj_description(%s::regclass, 'pg_class')", [f"marts.{mart}"]
    ).fetchone()[0]
    assert table_comment and table_comment.strip()
    undocumented = [
        name
        for name, comment in bi_reader.execute(
            "select attname, col_description(attrelid, attnum) from pg_catalog.pg_attribute "
            "where attrelid = %s::regclass and attnum > 0 and not attisdropped",
            [f"marts.{mart}"],
        )
        if not comment
    ]
    assert not undocumented


def test_duckdb_marts_carry_comments_too(duckdb_build: DbtBuild):
    import duckdb

    with duckdb.connect(duckdb_build.location, read_only=True) as con:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' "
            "and (comment is null or comment = '')"
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
            "and (comment is null or comment = '')"
        ).fetchall()
    assert not tables and not columns


def test_grant_bi_reader_is_a_no_op_on_duckdb(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load_fixture_duckdb(path)
    with warehouse.connect(path) as wh:
        grant_bi_reader(wh)
        assert wh.scalar("select count(*) from duckdb_schemas() where schema_name = 'bi'") == 0


def test_private_schemas_are_never_granted(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as wh, pytest.raises(ValueError, match="raw"):
        grant_bi_reader(wh, schemas=("marts", "raw"))


@pytest.mark.postgres
def test_a_password_is_stored_as_a_scram_verifier_of_that_password(bi_reader, postgres_build):
    """The verifier psycopg computes, checked against RFC 5802's key derivation written out here."""
    with warehouse.connect(_admin_url(postgres_build.location)) as wh:
        grant_bi_reader(wh, password="pencil")
        stored = wh.scalar(
            "select rolpassword from pg_catalog.pg_authid where rolname = :role",
            {"role": BI_READER_ROLE},
        )
        grant_bi_reader(wh)  # no password given: the role keeps the one it has
        again = wh.scalar(
            "select rolpassword from pg_catalog.pg_authid where rolname = :role",
            {"role": BI_READER_ROLE},
        )
    assert again == stored and "pencil" not in stored
    method, rest = stored.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    assert method == "SCRAM-SHA-256" and int(iterations) >= 4096
    salted = hashlib.pbkdf2_hmac("sha256", b"pencil", base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored_key, stored_server_key = (base64.b64decode(k) for k in keys.split(":"))
    assert hashlib.sha256(client_key).digest() == stored_key
    assert server_key == stored_server_key
