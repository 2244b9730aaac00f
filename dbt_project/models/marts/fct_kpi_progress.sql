with kpi_progress as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        policy_code,
        project_code,
        role,
        direction,
        aggregation,
        plan_version_id,
        target_rule,
        baseline_value,
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
    from {{ ref('stg_plans__periods') }}
),

policies as (
    -- the policy's group, primary dimension and key-project flag in force at the period
    select
        fiscal_year,
        period_no,
        policy_code,
        group_code,
        dimension_code,
        is_key_project
    from {{ ref('int_policies_in_force') }}
),

kpi_progress_described as (
    select
        kpi_progress.fiscal_year,
        kpi_progress.period_no,
        periods.period_key,
        kpi_progress.unit_code,
        kpi_progress.kpi_code,
        kpi_progress.policy_code,
        kpi_progress.project_code,
        policies.group_code,
        policies.dimension_code,
        kpi_progress.role,
        kpi_progress.direction,
        kpi_progress.aggregation,
        kpi_progress.plan_version_id,
        kpi_progress.target_rule,
        kpi_progress.baseline_value,
        kpi_progress.annual_target,
        kpi_progress.period_value,
        kpi_progress.actual_ytd,
        kpi_progress.target_to_date,
        kpi_progress.achievement_ratio,
        kpi_progress.capped_ratio,
        kpi_progress.status,
        kpi_progress.has_data,
        coalesce(policies.is_key_project, false) as is_key_project
    from kpi_progress
    inner join periods
        on kpi_progress.fiscal_year = periods.fiscal_year
        and kpi_progress.period_no = periods.period_no
    left join policies
        on kpi_progress.fiscal_year = policies.fiscal_year
        and kpi_progress.period_no = policies.period_no
        and kpi_progress.policy_code = policies.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(unit_code as varchar) as unit_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(policy_code as varchar) as policy_code,
    cast(project_code as varchar) as project_code,
    cast(group_code as varchar) as group_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(role as varchar) as role,
    cast(direction as varchar) as direction,
    cast(aggregation as varchar) as aggregation,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(target_rule as varchar) as target_rule,
    cast(baseline_value as double precision) as baseline_value,
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
