-- Lead (H) units of each policy as the one label list every reader shows: the dashboard, the
-- bi/sql tiles and Superset. Labels are the units' Thai names (the code when a unit has none),
-- ordered by unit code; a policy without a lead unit shows '–'.
with policies as (
    select policy_code
    from {{ ref('dim_policy') }}
),

lead_assignments as (
    select
        policy_code,
        unit_code
    from {{ ref('dim_assignment') }}
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
    group by lead_assignments.policy_code
),

policies_with_lead_units as (
    select
        policies.policy_code,
        coalesce(lead_units_listed.n_lead_units, 0) as n_lead_units,
        lead_units_listed.lead_unit_codes,
        coalesce(lead_units_listed.lead_units_th, '–') as lead_units_th
    from policies
    left join lead_units_listed
        on policies.policy_code = lead_units_listed.policy_code
)

select
    cast(policy_code as varchar) as policy_code,
    cast(n_lead_units as integer) as n_lead_units,
    cast(lead_unit_codes as varchar) as lead_unit_codes,
    cast(lead_units_th as varchar) as lead_units_th
from policies_with_lead_units
