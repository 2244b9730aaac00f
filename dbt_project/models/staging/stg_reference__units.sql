with source as (
    select * from {{ source('reference', 'units') }}
),

renamed as (
    select
        cast(unit_code as varchar) as unit_code,
        cast(unit_type as varchar) as unit_type,
        cast(name_th as varchar) as name_th,
        cast(name_en as varchar) as name_en,
        cast(abbrev_th as varchar) as abbrev_th,
        cast(group_code as varchar) as group_code
    from source
)

select * from renamed
