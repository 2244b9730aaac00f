-- What each plan version changed, per policy, against the version it replaced (the one in force at
-- its first period when it arrived; docs/DOMAIN.md §6): KPIs added or retired, units added or
-- removed (with role), annual targets raised or lowered (old, new), period targets changed.
with revised as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        replaces_version_id
    from {{ ref('stg_plans__policy_versions') }}
    where replaces_version_id is not null
),

kpis as (
    select
        plan_version_id,
        policy_code,
        kpi_code
    from {{ ref('stg_plans__kpis') }}
),

assignments as (
    select
        plan_version_id,
        policy_code,
        unit_code,
        role
    from {{ ref('stg_plans__assignments') }}
),

targets as (
    select
        plan_version_id,
        policy_code,
        kpi_code,
        unit_code,
        annual_target,
        {% for n in range(1, 7) -%}
        coalesce(cast(p{{ n }} as varchar), '') {{ "|| '|' ||" if not loop.last }}
        {% endfor -%} as period_targets
    from {{ ref('stg_plans__targets') }}
),

kpis_compared as (
    -- each revision's KPIs of the policy (is_new) and those of the version it replaced
    select
        revised.fiscal_year,
        revised.policy_code,
        revised.plan_version_id,
        revised.replaces_version_id,
        kpis.kpi_code,
        kpis.plan_version_id = revised.plan_version_id as is_new
    from revised
    inner join kpis
        on revised.policy_code = kpis.policy_code
        and kpis.plan_version_id in (revised.plan_version_id, revised.replaces_version_id)
),

kpi_changes as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        replaces_version_id,
        case when min(case when is_new then 1 else 0 end) = 1 then 'kpi_added'
            else 'kpi_retired' end as change_type,
        kpi_code,
        cast(null as varchar) as unit_code,
        cast(null as varchar) as role,
        cast(null as double precision) as old_value,
        cast(null as double precision) as new_value
    from kpis_compared
    group by fiscal_year, policy_code, plan_version_id, replaces_version_id, kpi_code
    having count(*) = 1
),

units_compared as (
    select
        revised.fiscal_year,
        revised.policy_code,
        revised.plan_version_id,
        revised.replaces_version_id,
        assignments.unit_code,
        assignments.role,
        assignments.plan_version_id = revised.plan_version_id as is_new
    from revised
    inner join assignments
        on revised.policy_code = assignments.policy_code
        and assignments.plan_version_id in (revised.plan_version_id, revised.replaces_version_id)
),

unit_changes as (
    -- a unit whose role changed is removed in one role and added in the other
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        replaces_version_id,
        case when min(case when is_new then 1 else 0 end) = 1 then 'unit_added'
            else 'unit_removed' end as change_type,
        cast(null as varchar) as kpi_code,
        unit_code,
        role,
        cast(null as double precision) as old_value,
        cast(null as double precision) as new_value
    from units_compared
    group by fiscal_year, policy_code, plan_version_id, replaces_version_id, unit_code, role
    having count(*) = 1
),

target_changes as (
    select
        revised.fiscal_year,
        revised.policy_code,
        revised.plan_version_id,
        revised.replaces_version_id,
        case
            when new.annual_target > old.annual_target then 'target_raised'
            when new.annual_target < old.annual_target then 'target_lowered'
            else 'period_targets_changed'
        end as change_type,
        new.kpi_code,
        new.unit_code,
        cast(null as varchar) as role,
        old.annual_target as old_value,
        new.annual_target as new_value
    from revised
    inner join targets as new
        on revised.plan_version_id = new.plan_version_id
        and revised.policy_code = new.policy_code
    inner join targets as old
        on revised.replaces_version_id = old.plan_version_id
        and revised.policy_code = old.policy_code
        and new.kpi_code = old.kpi_code
        and new.unit_code = old.unit_code
    where new.annual_target <> old.annual_target
        or new.period_targets <> old.period_targets
),

changes as (
    select * from kpi_changes
    union all
    select * from unit_changes
    union all
    select * from target_changes
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(policy_code as varchar) as policy_code,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(replaces_version_id as bigint) as replaces_version_id,
    cast(change_type as varchar) as change_type,
    cast(kpi_code as varchar) as kpi_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role,
    cast(old_value as double precision) as old_value,
    cast(new_value as double precision) as new_value
from changes
