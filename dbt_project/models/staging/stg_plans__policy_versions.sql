-- Rename and cast only: the columns are the source's, declared in the column registry.
with source as (
    select * from {{ source('plans', 'policy_versions') }}
),

renamed as (
    select {{ staged_columns('plans', 'policy_versions') }}
    from source
)

select * from renamed
