-- Rename and cast only: the minutes files ledger (columns declared in the column registry).
with source as (
    select * from {{ source('raw', 'minutes_files') }}
),

renamed as (
    select {{ staged_columns('raw', 'minutes_files') }}
    from source
)

select * from renamed
