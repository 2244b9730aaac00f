-- One row per project or activity (โครงการ/กิจกรรม) ever in force: its attributes in the version in
-- force at the latest period it is in force.
with policy_in_force as (
    select
        policy_code,
        plan_version_id,
        fiscal_year,
        period_no
    from {{ ref('stg_plans__policy_in_force') }}
),

projects as (
    select
        plan_version_id,
        project_code,
        policy_code,
        title_th,
        title_en
    from {{ ref('stg_plans__projects') }}
),

projects_latest as (
    select
        projects.*,
        row_number() over (
            partition by projects.project_code
            order by policy_in_force.fiscal_year desc, policy_in_force.period_no desc
        ) as recency
    from policy_in_force
    inner join projects
        on policy_in_force.plan_version_id = projects.plan_version_id
        and policy_in_force.policy_code = projects.policy_code
)

select
    cast(project_code as varchar) as project_code,
    cast(policy_code as varchar) as policy_code,
    cast(title_th as varchar) as title_th,
    cast(title_en as varchar) as title_en,
    cast(plan_version_id as bigint) as plan_version_id
from projects_latest
where recency = 1
