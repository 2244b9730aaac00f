-- Rename and cast only: every row of every minutes sheet, parsed values (the original cell texts
-- and raw_cells stay in raw).
with source as (
    select * from {{ source('raw', 'minutes_rows') }}
),

renamed as (
    select {{ staged_columns('raw', 'minutes_rows', skip_raw_text=true) }}
    from source
)

select * from renamed
