with source as (
    select * from {{ source('reference', 'periods') }}
),

renamed as (
    select
        cast(fiscal_year as integer) as fiscal_year,
        cast(period_no as integer) as period_no,
        cast(period_key as varchar) as period_key,
        -- the catalogue writes pandas datetimes; the period bounds are calendar dates
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date
    from source
)

select * from renamed
