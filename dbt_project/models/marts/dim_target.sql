-- Targets (ค่าเป้าหมาย) — fiscal year × KPI × unit for each version, with the periods it is in force
-- (valid_from_period … valid_to_period) and the period targets where the plan gives them. The target
-- in force at period p is the row with p between the two (fct_kpi_progress uses it).
with validity as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        valid_from_period,
        valid_to_period
    from {{ ref('stg_plans__policy_versions') }}
    where valid_from_period is not null
),

targets as (
    select
        plan_version_id,
        policy_code,
        kpi_code,
        unit_code,
        annual_target,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6
    from {{ ref('stg_plans__targets') }}
),

targets_in_force as (
    select
        validity.fiscal_year,
        targets.kpi_code,
        targets.unit_code,
        targets.annual_target,
        targets.p1,
        targets.p2,
        targets.p3,
        targets.p4,
        targets.p5,
        targets.p6,
        validity.plan_version_id,
        validity.valid_from_period,
        validity.valid_to_period
    from validity
    inner join targets
        on validity.plan_version_id = targets.plan_version_id
        and validity.policy_code = targets.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(kpi_code as varchar) as kpi_code,
    cast(unit_code as varchar) as unit_code,
    cast(annual_target as double precision) as annual_target,
    cast(p1 as double precision) as p1,
    cast(p2 as double precision) as p2,
    cast(p3 as double precision) as p3,
    cast(p4 as double precision) as p4,
    cast(p5 as double precision) as p5,
    cast(p6 as double precision) as p6,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(valid_from_period as integer) as valid_from_period,
    cast(valid_to_period as integer) as valid_to_period
from targets_in_force
