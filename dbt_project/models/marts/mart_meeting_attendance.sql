-- H unit × period × supporting unit (docs/DOMAIN.md §7): who of the lead unit's supporting (R) units
-- for the period — the R units of the policies it leads in the plan in force, the unit itself
-- excepted, as mart_meetings counts them — was present at its meeting, from the current minutes.
-- Without minutes (missing, pending) is_present is null; a supporting unit the minutes do not list
-- was not present. The report to the executives names them.
with roles as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code,
        role
    from {{ ref('int_unit_roles_in_force') }}
),

minutes as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        file_id,
        sheet,
        unit_code,
        present
    from {{ ref('int_minutes_current') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

support_units as (
    select distinct
        leads.fiscal_year,
        leads.period_no,
        leads.unit_code as h_unit_code,
        supports.unit_code
    from roles as leads
    inner join roles as supports
        on leads.fiscal_year = supports.fiscal_year
        and leads.period_no = supports.period_no
        and leads.policy_code = supports.policy_code
        and supports.role = 'R'
        and supports.unit_code <> leads.unit_code
    where leads.role = 'H'
),

meetings_with_minutes as (
    select distinct
        h_unit_code,
        fiscal_year,
        period_no,
        file_id
    from minutes
),

attendance as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        unit_code,
        present
    from minutes
    where sheet = 'attendance'
),

attendance_judged as (
    select
        support_units.fiscal_year,
        support_units.period_no,
        periods.period_key,
        support_units.h_unit_code,
        support_units.unit_code,
        meetings_with_minutes.file_id,
        case
            when meetings_with_minutes.file_id is null then null
            else coalesce(attendance.present, false)
        end as is_present
    from support_units
    inner join periods
        on support_units.fiscal_year = periods.fiscal_year
        and support_units.period_no = periods.period_no
    left join meetings_with_minutes
        on support_units.fiscal_year = meetings_with_minutes.fiscal_year
        and support_units.period_no = meetings_with_minutes.period_no
        and support_units.h_unit_code = meetings_with_minutes.h_unit_code
    left join attendance
        on support_units.fiscal_year = attendance.fiscal_year
        and support_units.period_no = attendance.period_no
        and support_units.h_unit_code = attendance.h_unit_code
        and support_units.unit_code = attendance.unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(h_unit_code as varchar) as h_unit_code,
    cast(unit_code as varchar) as unit_code,
    cast(is_present as boolean) as is_present,
    cast(file_id as bigint) as minutes_file_id
from attendance_judged
