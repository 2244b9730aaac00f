{{ config(meta={'dagster': {'ref': {'name': 'mart_submission_compliance'}}}) }}
-- mart_submission_compliance holds one row per period for every unit with ≥ 1 target in force at
-- that period (docs/DOMAIN.md §6: a unit added at P3 owes files from P3).
with expected as (
    select
        dim_period.fiscal_year,
        dim_period.period_no,
        count(distinct dim_target.unit_code) as n_units
    from {{ ref('dim_period') }} as dim_period
    inner join {{ ref('dim_target') }} as dim_target
        on dim_period.fiscal_year = dim_target.fiscal_year
        and dim_period.period_no between dim_target.valid_from_period and dim_target.valid_to_period
    group by dim_period.fiscal_year, dim_period.period_no
),

actual as (
    select
        fiscal_year,
        period_no,
        count(*) as n_rows,
        count(distinct unit_code) as n_units
    from {{ ref('mart_submission_compliance') }}
    group by fiscal_year, period_no
)

select
    coalesce(expected.fiscal_year, actual.fiscal_year) as fiscal_year,
    coalesce(expected.period_no, actual.period_no) as period_no,
    expected.n_units as n_units_expected,
    actual.n_rows as n_rows_actual
from expected
full outer join actual
    on expected.fiscal_year = actual.fiscal_year
    and expected.period_no = actual.period_no
where expected.n_units is null
    or actual.n_rows is null
    or expected.n_units <> actual.n_rows
    or actual.n_units <> actual.n_rows
