with source as (
    select * from {{ source('reference', 'assignments') }}
),

renamed as (
    select
        cast(policy_code as varchar) as policy_code,
        cast(unit_code as varchar) as unit_code,
        cast(role as varchar) as role
    from source
)

select * from renamed
