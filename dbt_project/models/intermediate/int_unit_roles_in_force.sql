-- Each unit's role on each policy in each period, from the plan in force then (docs/DOMAIN.md §6).
-- A unit named both H and R on one policy counts as H ('H' < 'R').
with policy_in_force as (
    select
        fiscal_year,
        period_no,
        policy_code,
        plan_version_id
    from {{ ref('stg_plans__policy_in_force') }}
),

assignments as (
    select
        plan_version_id,
        policy_code,
        unit_code,
        role
    from {{ ref('stg_plans__assignments') }}
),

roles_in_force as (
    select
        policy_in_force.fiscal_year,
        policy_in_force.period_no,
        policy_in_force.policy_code,
        assignments.unit_code,
        min(assignments.role) as role,
        min(policy_in_force.plan_version_id) as plan_version_id
    from policy_in_force
    inner join assignments
        on policy_in_force.plan_version_id = assignments.plan_version_id
        and policy_in_force.policy_code = assignments.policy_code
    group by
        policy_in_force.fiscal_year,
        policy_in_force.period_no,
        policy_in_force.policy_code,
        assignments.unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(policy_code as varchar) as policy_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role,
    cast(plan_version_id as bigint) as plan_version_id
from roles_in_force
