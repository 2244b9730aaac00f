-- The current value per unit × KPI × fiscal year × period: the latest accepted row received by
-- as_of, by received time, then file name (file_id and row number only break exact ties).
-- Period-local, so incremental by period: with var period_key set, a run rewrites that period and
-- any period whose current values changed since the last build; other periods keep their rows
-- (loaded_at, load_invocation_id tell when each period was last written). README.md: "Incremental".
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['fiscal_year', 'period_no'],
        on_schema_change='fail',
    )
}}

{%- set period = run_period() %}
{%- set bangkok = modules.pytz.timezone('Asia/Bangkok') %}

with rows_received as (
    select
        file_id,
        row_number,
        file_name,
        received_at,
        unit_code,
        fiscal_year,
        period_no,
        kpi_code,
        actual_value,
        budget_spent_baht,
        status,
        obstacles,
        reported_on
    from {{ ref('int_submission_rows_accepted') }}
    where received_at <= {{ as_of_timestamp() }}
        and unit_code is not null
        and kpi_code is not null
        and fiscal_year is not null
        and period_no is not null
        and actual_value is not null
),

rows_ranked as (
    select
        rows_received.*,
        row_number() over (
            partition by unit_code, kpi_code, fiscal_year, period_no
            order by received_at desc, file_name desc, file_id desc, row_number desc
        ) as version_rank,
        count(*) over (
            partition by unit_code, kpi_code, fiscal_year, period_no
        ) as n_versions
    from rows_received
),

values_current as (
    select
        unit_code,
        kpi_code,
        fiscal_year,
        period_no,
        actual_value,
        budget_spent_baht,
        status,
        obstacles,
        reported_on,
        received_at,
        file_id,
        file_name,
        row_number,
        cast(n_versions as integer) as n_versions,
        cast('{{ run_started_at.astimezone(bangkok).strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
            as loaded_at,
        cast('{{ invocation_id }}' as varchar) as load_invocation_id
    from rows_ranked
    where version_rank = 1
)
{%- if is_incremental() and period is not none %},

values_stored as (
    select
        unit_code,
        kpi_code,
        fiscal_year,
        period_no,
        file_id,
        row_number,
        n_versions
    from {{ this }}
),

periods_changed as (
    -- a period where a current row appeared, moved or vanished since the last build: a file for
    -- another period ingested by this run, a late validation, a different as_of
    select distinct
        coalesce(values_current.fiscal_year, values_stored.fiscal_year) as fiscal_year,
        coalesce(values_current.period_no, values_stored.period_no) as period_no
    from values_current
    full outer join values_stored
        on values_current.unit_code = values_stored.unit_code
        and values_current.kpi_code = values_stored.kpi_code
        and values_current.fiscal_year = values_stored.fiscal_year
        and values_current.period_no = values_stored.period_no
    where values_stored.unit_code is null
        or values_current.unit_code is null
        or values_stored.file_id <> values_current.file_id
        or values_stored.row_number <> values_current.row_number
        or values_stored.n_versions <> values_current.n_versions
),

periods_rewritten as (
    select
        {{ period['fiscal_year'] }} as fiscal_year,
        {{ period['period_no'] }} as period_no
    union
    select
        fiscal_year,
        period_no
    from periods_changed
)
{%- endif %}

select
    unit_code,
    kpi_code,
    fiscal_year,
    period_no,
    actual_value,
    budget_spent_baht,
    status,
    obstacles,
    reported_on,
    received_at,
    file_id,
    file_name,
    row_number,
    n_versions,
    loaded_at,
    load_invocation_id
from values_current
{%- if is_incremental() and period is not none %}
where exists (
    select 1
    from periods_rewritten
    where periods_rewritten.fiscal_year = values_current.fiscal_year
        and periods_rewritten.period_no = values_current.period_no
)
{%- endif %}
