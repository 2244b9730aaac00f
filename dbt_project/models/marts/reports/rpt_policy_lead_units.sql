-- Lead (H) units of each policy in each period, from the plan in force then (a revision may change
-- them), as the one label list every reader shows: the dashboard, the bi/sql tiles and Superset.
-- Labels are the units' Thai names (the code when a unit has none), ordered by unit code; a policy
-- without a lead unit shows '–'.
with policies as (
    select
        fiscal_year,
        period_no,
        policy_code
    from {{ ref('int_policies_in_force') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

lead_assignments as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code
    from {{ ref('int_unit_roles_in_force') }}
    where role = 'H'
),

units as (
    select
        unit_code,
        name_th
    from {{ ref('dim_unit') }}
),

lead_units_listed as (
    select
        lead_assignments.fiscal_year,
        lead_assignments.period_no,
        lead_assignments.policy_code,
        count(*) as n_lead_units,
        {{ dbt.listagg('lead_assignments.unit_code', "', '", 'order by lead_assignments.unit_code') }}
            as lead_unit_codes,
        {{ dbt.listagg(
            'coalesce(units.name_th, lead_assignments.unit_code)',
            "', '",
            'order by lead_assignments.unit_code'
        ) }} as lead_units_th
    from lead_assignments
    inner join units
        on lead_assignments.unit_code = units.unit_code
    group by lead_assignments.fiscal_year, lead_assignments.period_no, lead_assignments.policy_code
),

policies_with_lead_units as (
    select
        policies.fiscal_year,
        policies.period_no,
        periods.period_key,
        policies.policy_code,
        coalesce(lead_units_listed.n_lead_units, 0) as n_lead_units,
        lead_units_listed.lead_unit_codes,
        coalesce(lead_units_listed.lead_units_th, '–') as lead_units_th
    from policies
    inner join periods
        on policies.fiscal_year = periods.fiscal_year
        and policies.period_no = periods.period_no
    left join lead_units_listed
        on policies.fiscal_year = lead_units_listed.fiscal_year
        and policies.period_no = lead_units_listed.period_no
        and policies.policy_code = lead_units_listed.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(policy_code as varchar) as policy_code,
    cast(n_lead_units as integer) as n_lead_units,
    cast(lead_unit_codes as varchar) as lead_unit_codes,
    cast(lead_units_th as varchar) as lead_units_th
from policies_with_lead_units
