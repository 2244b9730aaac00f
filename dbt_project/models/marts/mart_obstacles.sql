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

kpis_in_force as (
    -- each KPI's policy in the plan in force at the period; a row for a KPI no plan holds then
    -- keeps a null policy
    select distinct
        fiscal_year,
        period_no,
        kpi_code,
        policy_code
    from {{ ref('int_targets_in_force') }}
),

unit_roles as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code,
        role
    from {{ ref('int_unit_roles_in_force') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

obstacles_reported as (
    select
        values_current.fiscal_year,
        values_current.period_no,
        periods.period_key,
        values_current.unit_code,
        values_current.kpi_code,
        kpis_in_force.policy_code,
        unit_roles.role,
        trim(values_current.obstacles) as obstacles,
        values_current.status as reported_status,
        values_current.received_at
    from values_current
    inner join periods
        on values_current.fiscal_year = periods.fiscal_year
        and values_current.period_no = periods.period_no
    left join kpis_in_force
        on values_current.fiscal_year = kpis_in_force.fiscal_year
        and values_current.period_no = kpis_in_force.period_no
        and values_current.kpi_code = kpis_in_force.kpi_code
    left join unit_roles
        on values_current.fiscal_year = unit_roles.fiscal_year
        and values_current.period_no = unit_roles.period_no
        and kpis_in_force.policy_code = unit_roles.policy_code
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
