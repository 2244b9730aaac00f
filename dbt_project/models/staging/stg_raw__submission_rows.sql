-- Personal data never leaves raw: reporter, raw_reporter and raw_cells (which holds the
-- reporter's cell text too) are deliberately not selected.
with source as (
    select * from {{ source('raw', 'submission_rows') }}
),

renamed as (
    select
        cast(file_id as bigint) as file_id,
        cast(row_number as integer) as row_number,
        cast(unit_folder as varchar) as unit_folder,
        cast(raw_unit_code as varchar) as raw_unit_code,
        cast(raw_fiscal_year as varchar) as raw_fiscal_year,
        cast(raw_period_no as varchar) as raw_period_no,
        cast(raw_kpi_code as varchar) as raw_kpi_code,
        cast(raw_actual_value as varchar) as raw_actual_value,
        cast(raw_budget_spent_baht as varchar) as raw_budget_spent_baht,
        cast(raw_status as varchar) as raw_status,
        cast(raw_obstacles as varchar) as raw_obstacles,
        cast(raw_reported_on as varchar) as raw_reported_on,
        cast(unit_code as varchar) as unit_code,
        cast(fiscal_year as integer) as fiscal_year,
        cast(period_no as integer) as period_no,
        cast(period_key_fiscal_year as integer) as period_key_fiscal_year,
        cast(kpi_code as varchar) as kpi_code,
        cast(actual_value as double precision) as actual_value,
        cast(budget_spent_baht as double precision) as budget_spent_baht,
        cast(status as varchar) as status,
        cast(obstacles as varchar) as obstacles,
        cast(reported_on as date) as reported_on
    from source
)

select * from renamed
