-- A policy's versions in force never overlap: for each (fiscal year, policy), no period lies in the
-- validity of two versions (docs/DOMAIN.md §6). Rows returned are the overlapping pairs.
with validity as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        valid_from_period,
        valid_to_period
    from {{ ref('stg_plans__policy_versions') }}
    where valid_from_period is not null
)

select
    a.fiscal_year,
    a.policy_code,
    a.plan_version_id,
    b.plan_version_id as other_version_id
from validity as a
inner join validity as b
    on a.fiscal_year = b.fiscal_year
    and a.policy_code = b.policy_code
    and a.plan_version_id < b.plan_version_id
    and a.valid_from_period <= b.valid_to_period
    and b.valid_from_period <= a.valid_to_period
