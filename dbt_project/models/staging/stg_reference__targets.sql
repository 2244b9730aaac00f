with source as (
    select * from {{ source('reference', 'targets') }}
),

renamed as (
    select
        cast(fiscal_year as integer) as fiscal_year,
        cast(kpi_code as varchar) as kpi_code,
        cast(unit_code as varchar) as unit_code,
        cast(annual_target as double precision) as annual_target
    from source
)

select * from renamed
