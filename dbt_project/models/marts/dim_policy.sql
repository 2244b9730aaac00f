-- One row per policy: its attributes in its latest version in force (int_policy_versions_latest).
with latest as (
    select
        policy_code,
        plan_version_id
    from {{ ref('int_policy_versions_latest') }}
),

policies as (
    select
        plan_version_id,
        policy_code,
        title_th,
        title_en,
        dimension_code,
        group_code
    from {{ ref('stg_plans__policies') }}
),

policies_latest as (
    select
        policies.policy_code,
        policies.title_th,
        policies.title_en,
        policies.dimension_code,
        policies.group_code,
        policies.plan_version_id
    from latest
    inner join policies
        on latest.plan_version_id = policies.plan_version_id
        and latest.policy_code = policies.policy_code
)

select
    cast(policy_code as varchar) as policy_code,
    cast(title_th as varchar) as title_th,
    cast(title_en as varchar) as title_en,
    cast(dimension_code as varchar) as dimension_code,
    cast(group_code as varchar) as group_code,
    cast(plan_version_id as bigint) as plan_version_id
from policies_latest
