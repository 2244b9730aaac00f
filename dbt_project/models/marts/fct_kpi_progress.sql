with kpi_progress as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        policy_code,
        role,
        direction,
        aggregation,
        annual_target,
        period_value,
        actual_ytd,
        target_to_date,
        achievement_ratio,
        capped_ratio,
        status,
        has_data
    from {{ ref('int_kpi_progress_computed') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_reference__periods') }}
),

policies as (
    select
        policy_code,
        group_code,
        dimension_code
    from {{ ref('stg_reference__policies') }}
),

key_projects as (
    select distinct
        fiscal_year,
        policy_code
    from {{ ref('stg_reference__key_projects') }}
),

kpi_progress_described as (
    select
        kpi_progress.fiscal_year,
        kpi_progress.period_no,
        periods.period_key,
        kpi_progress.unit_code,
        kpi_progress.kpi_code,
        kpi_progress.policy_code,
        policies.group_code,
        policies.dimension_code,
        kpi_progress.role,
        kpi_progress.direction,
        kpi_progress.aggregation,
        kpi_progress.annual_target,
        kpi_progress.period_value,
        kpi_progress.actual_ytd,
        kpi_progress.target_to_date,
        kpi_progress.achievement_ratio,
        kpi_progress.capped_ratio,
        kpi_progress.status,
        kpi_progress.has_data,
        key_projects.policy_code is not null as is_key_project
    from kpi_progress
    inner join periods
        on kpi_progress.fiscal_year = periods.fiscal_year
        and kpi_progress.period_no = periods.period_no
    left join policies
        on kpi_progress.policy_code = policies.policy_code
    left join key_projects
        on kpi_progress.fiscal_year = key_projects.fiscal_year
        and kpi_progress.policy_code = key_projects.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(unit_code as varchar) as unit_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(policy_code as varchar) as policy_code,
    cast(group_code as varchar) as group_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(role as varchar) as role,
    cast(direction as varchar) as direction,
    cast(aggregation as varchar) as aggregation,
    cast(annual_target as double precision) as annual_target,
    cast(period_value as double precision) as period_value,
    cast(actual_ytd as double precision) as actual_ytd,
    cast(target_to_date as double precision) as target_to_date,
    cast(achievement_ratio as double precision) as achievement_ratio,
    cast(capped_ratio as double precision) as capped_ratio,
    cast(status as varchar) as status,
    cast(has_data as boolean) as has_data,
    cast(is_key_project as boolean) as is_key_project
from kpi_progress_described
