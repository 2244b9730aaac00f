-- Obstacles (ปัญหาอุปสรรค) from the current rows only: a resubmission that drops the text drops it here.
with values_current as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        obstacles,
        status,
        received_at
    from {{ ref('int_kpi_values_current') }}
    where obstacles is not null
        and trim(obstacles) <> ''
),

kpis as (
    select
        kpi_code,
        policy_code
    from {{ ref('stg_reference__kpis') }}
),

unit_roles as (
    -- a unit named both H and R on one policy counts as H ('H' < 'R')
    select
        policy_code,
        unit_code,
        min(role) as role
    from {{ ref('stg_reference__assignments') }}
    group by policy_code, unit_code
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_reference__periods') }}
),

obstacles_reported as (
    select
        values_current.fiscal_year,
        values_current.period_no,
        periods.period_key,
        values_current.unit_code,
        values_current.kpi_code,
        kpis.policy_code,
        unit_roles.role,
        trim(values_current.obstacles) as obstacles,
        values_current.status as reported_status,
        values_current.received_at
    from values_current
    inner join periods
        on values_current.fiscal_year = periods.fiscal_year
        and values_current.period_no = periods.period_no
    left join kpis
        on values_current.kpi_code = kpis.kpi_code
    left join unit_roles
        on kpis.policy_code = unit_roles.policy_code
        and values_current.unit_code = unit_roles.unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(unit_code as varchar) as unit_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(policy_code as varchar) as policy_code,
    cast(role as varchar) as role,
    cast(obstacles as varchar) as obstacles,
    cast(reported_status as varchar) as reported_status,
    cast(received_at as timestamp) as received_at
from obstacles_reported
