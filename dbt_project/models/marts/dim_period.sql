with periods as (
    select
        fiscal_year,
        period_no,
        period_key,
        start_date,
        end_date,
        cast({{ dbt.dateadd('day', setting('deadline_days'), 'end_date') }} as date) as due_date
    from {{ ref('stg_plans__periods') }}
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    cast(due_date as date) as due_date
from periods
