with source as (
    select * from {{ source('reference', 'kpis') }}
),

renamed as (
    select
        cast(kpi_code as varchar) as kpi_code,
        cast(policy_code as varchar) as policy_code,
        cast(name_th as varchar) as name_th,
        cast(name_en as varchar) as name_en,
        cast(measure_unit_th as varchar) as measure_unit_th,
        cast(measure_unit_en as varchar) as measure_unit_en,
        cast(direction as varchar) as direction,
        cast(aggregation as varchar) as aggregation,
        cast(is_percentage as boolean) as is_percentage
    from source
)

select * from renamed
