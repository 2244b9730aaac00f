-- For each policy, the version in force at the latest period it is in force: where the dims take a
-- policy's, its KPIs' and its projects' current names and attributes from (docs/DOMAIN.md §6).
with policy_in_force as (
    select
        fiscal_year,
        period_no,
        policy_code,
        plan_version_id
    from {{ ref('stg_plans__policy_in_force') }}
),

ranked as (
    select
        policy_code,
        plan_version_id,
        fiscal_year,
        period_no,
        row_number() over (
            partition by policy_code order by fiscal_year desc, period_no desc
        ) as recency
    from policy_in_force
)

select
    cast(policy_code as varchar) as policy_code,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no
from ranked
where recency = 1
