"""The read-only BI role: BI tools connect as `bma_bi_reader` and see the marts and nothing else.

What belongs here: creating the role and granting it read access to the published schemas
(`marts`, `bi`), now and for tables created later, and revoking whatever it could reach in the
private schemas (`raw` holds personal data, docs/DOMAIN.md §5). What does not: the `bi` views
themselves, and anything on DuckDB, where BI tools open the warehouse file read-only instead.

Roles are cluster-wide but grants are per database, so `grant_bi_reader` runs once per warehouse
database and is safe to repeat, also while other databases on the same server do the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from bma_pipeline.warehouse import Warehouse, quote_ident

BI_READER_ROLE = "bma_bi_reader"
PUBLISHED_SCHEMAS = ("marts", "bi")
# Never readable by the BI role: the ledger (personal data), the catalogue and dbt's work schemas.
PRIVATE_SCHEMAS = ("raw", "reference", "staging", "intermediate")


def grant_bi_reader(
    wh: Warehouse,
    schemas: Sequence[str] = PUBLISHED_SCHEMAS,
    role: str = BI_READER_ROLE,
    password: str | None = None,
) -> None:
    """Let `role` log in and read every table and view in `schemas`, now and later, and nothing
    in the private schemas. PostgreSQL only; on DuckDB it returns without doing anything.

    The role is created with LOGIN if missing (no password unless given: servers with trust or
    peer auth need none); an existing role keeps its password unless a new one is given.
    Default privileges cover tables and views later created by the user running this — the
    user dbt and the publisher connect as — so a dbt rebuild (new table, same name) stays
    readable. Sessions of the role in this database are read-only by default as well.
    """
    role_sql = quote_ident(role)
    published = [quote_ident(schema) for schema in schemas]
    leaked = sorted(set(schemas) & set(PRIVATE_SCHEMAS))
    if leaked:
        raise ValueError(f"schemas {leaked} are private (raw holds personal data): never granted")
    if wh.kind != "postgres":
        return  # DuckDB: BI opens the file read-only; a file has no roles
    database = quote_ident(str(wh.scalar("select current_database()")))
    existing = {
        str(name) for name in wh.query("select nspname from pg_catalog.pg_namespace")["nspname"]
    }

    with wh.transaction():
        _ensure_login_role(wh, role, password)
        wh.execute(
            f"alter role {role_sql} in database {database} set default_transaction_read_only = on"
        )
        wh.execute(f"grant connect on database {database} to {role_sql}")
        for schema in published:
            wh.execute(f"create schema if not exists {schema}")
            wh.execute(f"grant usage on schema {schema} to {role_sql}")
            wh.execute(f"grant select on all tables in schema {schema} to {role_sql}")
            wh.execute(
                f"alter default privileges in schema {schema} grant select on tables to {role_sql}"
            )
        for name in PRIVATE_SCHEMAS:
            if name not in existing:
                continue
            schema = quote_ident(name)
            wh.execute(f"revoke all on schema {schema} from {role_sql}, public")
            wh.execute(f"revoke all on all tables in schema {schema} from {role_sql}, public")
            wh.execute(
                f"alter default privileges in schema {schema} revoke all on tables from {role_sql}"
            )


def _ensure_login_role(wh: Warehouse, role: str, password: str | None) -> None:
    role_sql = quote_ident(role)
    # Another database's run may create the role at the same moment: the loser's error is caught.
    wh.execute(
        "do $$ begin "
        f"create role {role_sql} login nosuperuser nocreatedb nocreaterole noreplication; "
        "exception when duplicate_object or unique_violation then null; "
        "end $$"
    )
    attributes = wh.query(
        "select rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
        "from pg_catalog.pg_roles where rolname = :role",
        {"role": role},
    )
    if not bool(attributes.at[0, "rolcanlogin"]) or any(
        bool(attributes.at[0, column])
        for column in ("rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls")
    ):
        # An existing role that drifted: make it a plain login role again.
        wh.execute(
            f"alter role {role_sql} login nosuperuser nocreatedb nocreaterole noreplication "
            "nobypassrls"
        )
    if password is not None:
        # The SCRAM verifier (libpq computes it) travels instead of the password, so the clear
        # text never reaches the statement, the server log or pg_stat_activity. ALTER ROLE takes
        # no bound parameters; the verifier is base64 and '$:' only.
        verifier = wh.encrypt_password(password, role)
        wh.execute(f"alter role {role_sql} password {wh.literal(verifier)}")
