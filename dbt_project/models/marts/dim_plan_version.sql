-- One row per plan version (an accepted plan file received by the run's as-of time): who sent it,
-- when, for which fiscal year, from which period, and how many policies it holds.
with versions as (
    select
        plan_version_id,
        fiscal_year,
        sender_unit,
        file_name,
        path,
        received_at,
        effective_from
    from {{ ref('stg_plans__versions') }}
),

policy_counts as (
    select
        plan_version_id,
        count(*) as n_policies
    from {{ ref('stg_plans__policies') }}
    group by plan_version_id
),

versions_described as (
    select
        versions.*,
        coalesce(policy_counts.n_policies, 0) as n_policies
    from versions
    left join policy_counts
        on versions.plan_version_id = policy_counts.plan_version_id
)

select
    cast(plan_version_id as bigint) as plan_version_id,
    cast(fiscal_year as integer) as fiscal_year,
    cast(sender_unit as varchar) as sender_unit,
    cast(file_name as varchar) as file_name,
    cast(path as varchar) as path,
    cast(received_at as timestamp) as received_at,
    cast(effective_from as integer) as effective_from,
    cast(n_policies as integer) as n_policies
from versions_described
