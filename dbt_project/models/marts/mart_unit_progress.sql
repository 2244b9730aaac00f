with kpi_progress as (
    select
        fiscal_year,
        period_no,
        unit_code,
        capped_ratio,
        status,
        has_data
    from {{ ref('int_kpi_progress_computed') }}
),

unit_rollup as (
    select
        fiscal_year,
        period_no,
        unit_code,
        count(*) as n_kpis,
        sum(case when has_data then 1 else 0 end) as n_kpis_with_data,
        {{ exact_mean('capped_ratio') }} as mean_capped_ratio,
        sum(case when status = 'on_track' then 1 else 0 end) as n_on_track,
        sum(case when status = 'at_risk' then 1 else 0 end) as n_at_risk,
        sum(case when status = 'off_track' then 1 else 0 end) as n_off_track,
        sum(case when status = 'no_data' then 1 else 0 end) as n_no_data
    from kpi_progress
    group by fiscal_year, period_no, unit_code
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

units as (
    select
        unit_code,
        unit_type,
        group_code
    from {{ ref('stg_reference__units') }}
),

unit_progress as (
    select
        unit_rollup.fiscal_year,
        unit_rollup.period_no,
        periods.period_key,
        unit_rollup.unit_code,
        units.unit_type,
        units.group_code,
        unit_rollup.n_kpis,
        unit_rollup.n_kpis_with_data,
        100 * unit_rollup.mean_capped_ratio as progress_pct,
        {{ status_from_ratio('unit_rollup.mean_capped_ratio') }} as status,
        unit_rollup.n_on_track,
        unit_rollup.n_at_risk,
        unit_rollup.n_off_track,
        unit_rollup.n_no_data
    from unit_rollup
    inner join periods
        on unit_rollup.fiscal_year = periods.fiscal_year
        and unit_rollup.period_no = periods.period_no
    left join units
        on unit_rollup.unit_code = units.unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(unit_code as varchar) as unit_code,
    cast(unit_type as varchar) as unit_type,
    cast(group_code as varchar) as group_code,
    cast(n_kpis as integer) as n_kpis,
    cast(n_kpis_with_data as integer) as n_kpis_with_data,
    cast(progress_pct as double precision) as progress_pct,
    cast(status as varchar) as status,
    cast(n_on_track as integer) as n_on_track,
    cast(n_at_risk as integer) as n_at_risk,
    cast(n_off_track as integer) as n_off_track,
    cast(n_no_data as integer) as n_no_data
from unit_progress
