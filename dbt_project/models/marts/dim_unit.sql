with units as (
    select
        unit_code,
        unit_type,
        name_th,
        name_en,
        abbrev_th,
        group_code
    from {{ ref('stg_reference__units') }}
)

select
    cast(unit_code as varchar) as unit_code,
    cast(unit_type as varchar) as unit_type,
    cast(name_th as varchar) as name_th,
    cast(name_en as varchar) as name_en,
    cast(abbrev_th as varchar) as abbrev_th,
    cast(group_code as varchar) as group_code
from units
