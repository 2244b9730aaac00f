with source as (
    select * from {{ source('reference', 'mission_groups') }}
),

renamed as (
    select
        cast(group_code as varchar) as group_code,
        cast(name_th as varchar) as name_th,
        cast(name_en as varchar) as name_en
    from source
)

select * from renamed
