-- Action-plan roles (แผนปฏิบัติการ): policy × unit × role for each version, with the periods of the
-- fiscal year it is in force (valid_from_period … valid_to_period). The roles in force at period p
-- are the rows with p between the two.
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

assignments as (
    select
        plan_version_id,
        policy_code,
        unit_code,
        role
    from {{ ref('stg_plans__assignments') }}
),

assignments_in_force as (
    select
        assignments.policy_code,
        assignments.unit_code,
        assignments.role,
        validity.fiscal_year,
        validity.plan_version_id,
        validity.valid_from_period,
        validity.valid_to_period
    from validity
    inner join assignments
        on validity.plan_version_id = assignments.plan_version_id
        and validity.policy_code = assignments.policy_code
)

select
    cast(policy_code as varchar) as policy_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role,
    cast(fiscal_year as integer) as fiscal_year,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(valid_from_period as integer) as valid_from_period,
    cast(valid_to_period as integer) as valid_to_period
from assignments_in_force
