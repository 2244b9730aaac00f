with dimensions as (
    select
        dimension_code,
        name_th,
        name_en
    from {{ ref('stg_reference__dimensions') }}
)

select
    cast(dimension_code as varchar) as dimension_code,
    cast(name_th as varchar) as name_th,
    cast(name_en as varchar) as name_en
from dimensions
