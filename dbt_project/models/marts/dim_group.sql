with mission_groups as (
    select
        group_code,
        name_th,
        name_en
    from {{ ref('stg_reference__mission_groups') }}
)

select
    cast(group_code as varchar) as group_code,
    cast(name_th as varchar) as name_th,
    cast(name_en as varchar) as name_en
from mission_groups
