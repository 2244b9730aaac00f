-- One row per KPI ever in force: its attributes in the version in force at the latest period the
-- KPI is in force (a KPI retired from P4 keeps its P3 attributes).
with policy_in_force as (
    select
        policy_code,
        plan_version_id,
        fiscal_year,
        period_no
    from {{ ref('stg_plans__policy_in_force') }}
),

kpis as (
    select
        plan_version_id,
        kpi_code,
        policy_code,
        project_code,
        name_th,
        name_en,
        measure_unit_th,
        measure_unit_en,
        direction,
        aggregation,
        is_percentage,
        baseline_value,
        kpi_type
    from {{ ref('stg_plans__kpis') }}
),

kpis_latest as (
    select
        kpis.*,
        row_number() over (
            partition by kpis.kpi_code
            order by policy_in_force.fiscal_year desc, policy_in_force.period_no desc
        ) as recency
    from policy_in_force
    inner join kpis
        on policy_in_force.plan_version_id = kpis.plan_version_id
        and policy_in_force.policy_code = kpis.policy_code
)

select
    cast(kpi_code as varchar) as kpi_code,
    cast(policy_code as varchar) as policy_code,
    cast(project_code as varchar) as project_code,
    cast(name_th as varchar) as name_th,
    cast(name_en as varchar) as name_en,
    cast(measure_unit_th as varchar) as measure_unit_th,
    cast(measure_unit_en as varchar) as measure_unit_en,
    cast(direction as varchar) as direction,
    cast(aggregation as varchar) as aggregation,
    cast(coalesce(is_percentage, false) as boolean) as is_percentage,
    cast(baseline_value as double precision) as baseline_value,
    cast(kpi_type as varchar) as kpi_type,
    cast(plan_version_id as bigint) as plan_version_id
from kpis_latest
where recency = 1
