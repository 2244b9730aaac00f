-- Policy × dimension (many-to-many: a policy carries one or more), from each policy's latest version
-- in force; is_primary marks the first listed, the one a policy counts under.
with latest as (
    select
        policy_code,
        plan_version_id
    from {{ ref('int_policy_versions_latest') }}
),

policy_dimensions as (
    select
        plan_version_id,
        policy_code,
        dimension_code,
        position,
        is_primary
    from {{ ref('stg_plans__policy_dimensions') }}
),

dimensions_latest as (
    select
        policy_dimensions.policy_code,
        policy_dimensions.dimension_code,
        policy_dimensions.position,
        policy_dimensions.is_primary
    from latest
    inner join policy_dimensions
        on latest.plan_version_id = policy_dimensions.plan_version_id
        and latest.policy_code = policy_dimensions.policy_code
)

select
    cast(policy_code as varchar) as policy_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(position as integer) as position,
    cast(is_primary as boolean) as is_primary
from dimensions_latest
