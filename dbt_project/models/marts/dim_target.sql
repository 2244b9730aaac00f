with targets as (
    select
        fiscal_year,
        kpi_code,
        unit_code,
        annual_target
    from {{ ref('stg_reference__targets') }}
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(kpi_code as varchar) as kpi_code,
    cast(unit_code as varchar) as unit_code,
    cast(annual_target as double precision) as annual_target
from targets
