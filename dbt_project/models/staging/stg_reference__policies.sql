with source as (
    select * from {{ source('reference', 'policies') }}
),

renamed as (
    select
        cast(policy_code as varchar) as policy_code,
        cast(title_th as varchar) as title_th,
        cast(title_en as varchar) as title_en,
        cast(dimension_code as varchar) as dimension_code,
        cast(group_code as varchar) as group_code
    from source
)

select * from renamed
