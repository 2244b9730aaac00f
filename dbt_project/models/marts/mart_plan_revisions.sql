-- Every change a plan version made to a policy against the version it replaced (docs/DOMAIN.md §6):
-- kpi_added, kpi_retired, unit_added, unit_removed (with role), target_raised, target_lowered (old,
-- new annual target), period_targets_changed — with the version's sender, received time and the
-- period it is in force from. The meeting packs list them through rpt_plan_revisions_on_agenda.
with revisions as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        replaces_version_id,
        change_type,
        kpi_code,
        unit_code,
        role,
        old_value,
        new_value
    from {{ ref('int_plan_revisions') }}
),

versions as (
    select
        plan_version_id,
        sender_unit,
        received_at,
        effective_from
    from {{ ref('stg_plans__versions') }}
),

revisions_described as (
    select
        revisions.fiscal_year,
        revisions.policy_code,
        revisions.plan_version_id,
        revisions.replaces_version_id,
        versions.sender_unit,
        versions.received_at,
        versions.effective_from,
        revisions.change_type,
        revisions.kpi_code,
        revisions.unit_code,
        revisions.role,
        revisions.old_value,
        revisions.new_value
    from revisions
    inner join versions
        on revisions.plan_version_id = versions.plan_version_id
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(policy_code as varchar) as policy_code,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(replaces_version_id as bigint) as replaces_version_id,
    cast(sender_unit as varchar) as sender_unit,
    cast(received_at as timestamp) as received_at,
    cast(effective_from as integer) as effective_from,
    cast(change_type as varchar) as change_type,
    cast(kpi_code as varchar) as kpi_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role,
    cast(old_value as double precision) as old_value,
    cast(new_value as double precision) as new_value
from revisions_described
