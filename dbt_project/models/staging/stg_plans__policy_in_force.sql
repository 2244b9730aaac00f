-- Rename and cast only: the columns are the source's, declared in the column registry.
with source as (
    select * from {{ source('plans', 'policy_in_force') }}
),

renamed as (
    select {{ staged_columns('plans', 'policy_in_force') }}
    from source
)

select * from renamed
