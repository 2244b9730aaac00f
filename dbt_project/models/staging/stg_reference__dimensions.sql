with source as (
    select * from {{ source('reference', 'dimensions') }}
),

renamed as (
    select
        cast(dimension_code as varchar) as dimension_code,
        cast(name_th as varchar) as name_th,
        cast(name_en as varchar) as name_en
    from source
)

select * from renamed
