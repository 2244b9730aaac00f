{{ config(meta={'dagster': {'ref': {'name': 'fct_kpi_progress'}}}) }}
-- Every pair in scope at a period (a target in force for the unit and KPI then) has exactly one row
-- for that period, and no other row exists (docs/DOMAIN.md §6).
with expected as (
    select
        dim_target.fiscal_year,
        dim_period.period_no,
        dim_target.unit_code,
        dim_target.kpi_code
    from {{ ref('dim_target') }} as dim_target
    inner join {{ ref('dim_period') }} as dim_period
        on dim_target.fiscal_year = dim_period.fiscal_year
        and dim_period.period_no between dim_target.valid_from_period and dim_target.valid_to_period
),

actual as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code
    from {{ ref('fct_kpi_progress') }}
)

select
    coalesce(expected.unit_code, actual.unit_code) as unit_code,
    coalesce(expected.kpi_code, actual.kpi_code) as kpi_code,
    coalesce(expected.fiscal_year, actual.fiscal_year) as fiscal_year,
    coalesce(expected.period_no, actual.period_no) as period_no
from expected
full outer join actual
    on expected.fiscal_year = actual.fiscal_year
    and expected.period_no = actual.period_no
    and expected.unit_code = actual.unit_code
    and expected.kpi_code = actual.kpi_code
where expected.unit_code is null
    or actual.unit_code is null
