-- Each change to the action plan (mart_plan_revisions) on the agenda of the H–R meetings of one
-- period: the first meeting after the revision arrived and once it is in force. A period's meeting
-- is held by its submission deadline (docs/DOMAIN.md §7), so a revision received on or before the
-- due date of period p is news to p's meeting, unless it takes effect later (then its first period
-- in force): agenda period = greatest(effective_from, the first period due on or after receipt).
-- Each change is on exactly one period's agenda, and a revision effective from p never changes the
-- reports of the periods before p. The packs list the changes of the policies their unit leads.
with revisions as (
    select
        fiscal_year,
        policy_code,
        plan_version_id,
        replaces_version_id,
        sender_unit,
        received_at,
        effective_from,
        change_type,
        kpi_code,
        unit_code,
        role,
        old_value,
        new_value
    from {{ ref('mart_plan_revisions') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key,
        due_date
    from {{ ref('dim_period') }}
),

policies as (
    select
        fiscal_year,
        period_no,
        policy_code,
        group_code
    from {{ ref('int_policies_in_force') }}
),

versions_received as (
    select distinct
        plan_version_id,
        fiscal_year,
        received_at
    from revisions
),

received_periods as (
    -- the first period of the plan's year whose deadline is on or after the revision's receipt
    select
        versions_received.plan_version_id,
        min(periods.period_no) as received_period_no
    from versions_received
    inner join periods
        on versions_received.fiscal_year = periods.fiscal_year
        and cast(versions_received.received_at as date) <= periods.due_date
    group by versions_received.plan_version_id
),

revisions_on_agenda as (
    select
        revisions.*,
        greatest(revisions.effective_from, received_periods.received_period_no) as agenda_period_no
    from revisions
    inner join received_periods
        on revisions.plan_version_id = received_periods.plan_version_id
),

revisions_described as (
    select
        revisions_on_agenda.*,
        periods.period_key,
        policies.group_code
    from revisions_on_agenda
    inner join periods
        on revisions_on_agenda.fiscal_year = periods.fiscal_year
        and revisions_on_agenda.agenda_period_no = periods.period_no
    left join policies
        on revisions_on_agenda.fiscal_year = policies.fiscal_year
        and revisions_on_agenda.agenda_period_no = policies.period_no
        and revisions_on_agenda.policy_code = policies.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(agenda_period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(policy_code as varchar) as policy_code,
    cast(group_code as varchar) as group_code,
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
