-- Rename and cast only: the columns are the source's, declared in the column registry.
with source as (
    select * from {{ source('plans', 'policies') }}
),

renamed as (
    select {{ staged_columns('plans', 'policies') }}
    from source
)

select * from renamed
