-- The current value per unit × KPI × fiscal year × period: the latest accepted row received by
-- as_of, by received time, then file name (file_id and row number only break exact ties).
with rows_received as (
    select
        file_id,
        row_number,
        file_name,
        received_at,
        unit_code,
        fiscal_year,
        period_no,
        kpi_code,
        actual_value,
        budget_spent_baht,
        status,
        obstacles,
        reported_on
    from {{ ref('int_submission_rows_accepted') }}
    where received_at <= {{ as_of_timestamp() }}
        and unit_code is not null
        and kpi_code is not null
        and fiscal_year is not null
        and period_no is not null
        and actual_value is not null
),

rows_ranked as (
    select
        rows_received.*,
        row_number() over (
            partition by unit_code, kpi_code, fiscal_year, period_no
            order by received_at desc, file_name desc, file_id desc, row_number desc
        ) as version_rank,
        count(*) over (
            partition by unit_code, kpi_code, fiscal_year, period_no
        ) as n_versions
    from rows_received
),

values_current as (
    select
        unit_code,
        kpi_code,
        fiscal_year,
        period_no,
        actual_value,
        budget_spent_baht,
        status,
        obstacles,
        reported_on,
        received_at,
        file_id,
        file_name,
        row_number,
        cast(n_versions as integer) as n_versions
    from rows_ranked
    where version_rank = 1
)

select
    unit_code,
    kpi_code,
    fiscal_year,
    period_no,
    actual_value,
    budget_spent_baht,
    status,
    obstacles,
    reported_on,
    received_at,
    file_id,
    file_name,
    row_number,
    n_versions
from values_current
