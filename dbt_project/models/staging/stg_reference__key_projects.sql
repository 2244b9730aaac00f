with source as (
    select * from {{ source('reference', 'key_projects') }}
),

renamed as (
    select
        cast(fiscal_year as integer) as fiscal_year,
        cast(policy_code as varchar) as policy_code
    from source
)

select * from renamed
