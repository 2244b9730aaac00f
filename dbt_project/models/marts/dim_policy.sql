with policies as (
    select
        policy_code,
        title_th,
        title_en,
        dimension_code,
        group_code
    from {{ ref('stg_reference__policies') }}
)

select
    cast(policy_code as varchar) as policy_code,
    cast(title_th as varchar) as title_th,
    cast(title_en as varchar) as title_en,
    cast(dimension_code as varchar) as dimension_code,
    cast(group_code as varchar) as group_code
from policies
