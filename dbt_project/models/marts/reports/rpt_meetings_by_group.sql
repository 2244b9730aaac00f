-- H–R meetings held, late, missing and pending per mission group and for the whole city, per period
-- (mart_meetings). An H unit's meeting counts in the group of every policy it leads in the period
-- (the meeting reviews all of them): a unit leading policies of two groups counts in both, so the
-- groups do not add up to the city row, where each H unit counts once. The executive dashboard, the
-- bi/sql tile and the Superset chart show these counts.
with meetings as (
    select
        fiscal_year,
        period_no,
        period_key,
        h_unit_code,
        meeting_status,
        attendance_share
    from {{ ref('mart_meetings') }}
),

roles as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code
    from {{ ref('int_unit_roles_in_force') }}
    where role = 'H'
),

policies as (
    select
        fiscal_year,
        period_no,
        policy_code,
        group_code
    from {{ ref('int_policies_in_force') }}
),

unit_groups as (
    select distinct
        roles.fiscal_year,
        roles.period_no,
        roles.unit_code as h_unit_code,
        policies.group_code
    from roles
    inner join policies
        on roles.fiscal_year = policies.fiscal_year
        and roles.period_no = policies.period_no
        and roles.policy_code = policies.policy_code
),

meetings_of_groups as (
    select
        meetings.*,
        unit_groups.group_code,
        false as is_city
    from meetings
    inner join unit_groups
        on meetings.fiscal_year = unit_groups.fiscal_year
        and meetings.period_no = unit_groups.period_no
        and meetings.h_unit_code = unit_groups.h_unit_code
    union all
    select
        meetings.*,
        'CITY' as group_code,
        true as is_city
    from meetings
),

meetings_counted as (
    select
        fiscal_year,
        period_no,
        period_key,
        group_code,
        is_city,
        count(*) as n_lead_units,
        sum(case when meeting_status = 'held' then 1 else 0 end) as n_held,
        sum(case when meeting_status = 'late' then 1 else 0 end) as n_late,
        sum(case when meeting_status = 'missing' then 1 else 0 end) as n_missing,
        sum(case when meeting_status = 'pending' then 1 else 0 end) as n_pending,
        {{ exact_mean('attendance_share') }} as mean_attendance_share
    from meetings_of_groups
    group by fiscal_year, period_no, period_key, group_code, is_city
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(group_code as varchar) as group_code,
    cast(is_city as boolean) as is_city,
    cast(n_lead_units as integer) as n_lead_units,
    cast(n_held as integer) as n_held,
    cast(n_late as integer) as n_late,
    cast(n_missing as integer) as n_missing,
    cast(n_pending as integer) as n_pending,
    cast(mean_attendance_share as double precision) as mean_attendance_share
from meetings_counted
