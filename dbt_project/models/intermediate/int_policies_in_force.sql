-- Each policy's attributes in each period, from its version in force then (docs/DOMAIN.md §6): the
-- group it is steered in, its primary dimension, its key-project flag and titles.
with policy_in_force as (
    select
        fiscal_year,
        period_no,
        policy_code,
        plan_version_id
    from {{ ref('stg_plans__policy_in_force') }}
),

policies as (
    select
        plan_version_id,
        policy_code,
        title_th,
        title_en,
        group_code,
        dimension_code,
        is_key_project
    from {{ ref('stg_plans__policies') }}
),

policies_of_periods as (
    select
        policy_in_force.fiscal_year,
        policy_in_force.period_no,
        policy_in_force.policy_code,
        policy_in_force.plan_version_id,
        policies.title_th,
        policies.title_en,
        policies.group_code,
        policies.dimension_code,
        coalesce(policies.is_key_project, false) as is_key_project
    from policy_in_force
    inner join policies
        on policy_in_force.plan_version_id = policies.plan_version_id
        and policy_in_force.policy_code = policies.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(policy_code as varchar) as policy_code,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(title_th as varchar) as title_th,
    cast(title_en as varchar) as title_en,
    cast(group_code as varchar) as group_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(is_key_project as boolean) as is_key_project
from policies_of_periods
