-- Rename and cast only: the minutes rows that failed validation, with every reason.
with source as (
    select * from {{ source('raw', 'minutes_quarantined_rows') }}
),

renamed as (
    select {{ staged_columns('raw', 'minutes_quarantined_rows') }}
    from source
)

select * from renamed
