with assignments as (
    select
        policy_code,
        unit_code,
        role
    from {{ ref('stg_reference__assignments') }}
)

select
    cast(policy_code as varchar) as policy_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role
from assignments
