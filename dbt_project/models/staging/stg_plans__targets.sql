-- Rename and cast only: the columns are the source's, declared in the column registry.
with source as (
    select * from {{ source('plans', 'targets') }}
),

renamed as (
    select {{ staged_columns('plans', 'targets') }}
    from source
)

select * from renamed
