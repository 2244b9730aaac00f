-- H unit × period (docs/DOMAIN.md §7): whether the lead unit's meeting with its supporting units was
-- held (minutes with a meeting date by the period's submission deadline), late (after it), missing
-- (no minutes and the deadline passed) or pending (not due yet), with the meeting date, attendance
-- (share of its supporting units present) and the decisions and commitments made.
with lead_units as (
    select distinct
        fiscal_year,
        period_no,
        unit_code as h_unit_code
    from {{ ref('int_unit_roles_in_force') }}
    where role = 'H'
),

roles as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code,
        role
    from {{ ref('int_unit_roles_in_force') }}
),

support_units as (
    -- the R units of the policies each H unit leads, the unit itself excepted
    select
        leads.fiscal_year,
        leads.period_no,
        leads.unit_code as h_unit_code,
        count(distinct supports.unit_code) as n_support_units
    from roles as leads
    inner join roles as supports
        on leads.fiscal_year = supports.fiscal_year
        and leads.period_no = supports.period_no
        and leads.policy_code = supports.policy_code
        and supports.role = 'R'
        and supports.unit_code <> leads.unit_code
    where leads.role = 'H'
    group by leads.fiscal_year, leads.period_no, leads.unit_code
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key,
        cast({{ dbt.dateadd('day', setting('deadline_days'), 'end_date') }} as date) as due_date
    from {{ ref('stg_plans__periods') }}
),

minutes as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        file_id,
        received_at,
        meeting_date,
        n_versions,
        sheet,
        unit_code,
        present
    from {{ ref('int_minutes_current') }}
),

meetings_held as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        min(file_id) as file_id,
        min(received_at) as received_at,
        min(meeting_date) as meeting_date,
        min(n_versions) as n_versions,
        sum(case when sheet = 'attendance' and present then 1 else 0 end) as n_present,
        sum(case when sheet = 'decisions' then 1 else 0 end) as n_decisions,
        sum(case when sheet = 'commitments' then 1 else 0 end) as n_commitments
    from minutes
    group by h_unit_code, fiscal_year, period_no
),

meetings_judged as (
    select
        lead_units.fiscal_year,
        lead_units.period_no,
        periods.period_key,
        lead_units.h_unit_code,
        periods.due_date,
        meetings_held.meeting_date,
        meetings_held.received_at,
        meetings_held.file_id,
        coalesce(meetings_held.n_versions, 0) as n_minutes_versions,
        case
            when meetings_held.meeting_date is not null
                and meetings_held.meeting_date <= periods.due_date then 'held'
            when meetings_held.meeting_date is not null then 'late'
            when {{ as_of_date() }} <= periods.due_date then 'pending'
            else 'missing'
        end as meeting_status,
        coalesce(support_units.n_support_units, 0) as n_support_units,
        coalesce(meetings_held.n_present, 0) as n_present,
        coalesce(meetings_held.n_decisions, 0) as n_decisions,
        coalesce(meetings_held.n_commitments, 0) as n_commitments
    from lead_units
    inner join periods
        on lead_units.fiscal_year = periods.fiscal_year
        and lead_units.period_no = periods.period_no
    left join support_units
        on lead_units.fiscal_year = support_units.fiscal_year
        and lead_units.period_no = support_units.period_no
        and lead_units.h_unit_code = support_units.h_unit_code
    left join meetings_held
        on lead_units.fiscal_year = meetings_held.fiscal_year
        and lead_units.period_no = meetings_held.period_no
        and lead_units.h_unit_code = meetings_held.h_unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(h_unit_code as varchar) as h_unit_code,
    cast(due_date as date) as due_date,
    cast(meeting_status as varchar) as meeting_status,
    cast(meeting_date as date) as meeting_date,
    cast(received_at as timestamp) as received_at,
    cast(file_id as bigint) as minutes_file_id,
    cast(n_minutes_versions as integer) as n_minutes_versions,
    cast(n_support_units as integer) as n_support_units,
    cast(n_present as integer) as n_present,
    cast(
        case when meeting_date is not null and n_support_units > 0
            then cast(n_present as double precision) / n_support_units
        end as double precision
    ) as attendance_share,
    cast(n_decisions as integer) as n_decisions,
    cast(n_commitments as integer) as n_commitments
from meetings_judged
