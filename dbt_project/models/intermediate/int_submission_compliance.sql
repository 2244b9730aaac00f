-- Submission compliance per (unit owing a file, period): a unit owes a file for a period when the
-- plan in force then gives it at least one target (docs/DOMAIN.md §6); the first file with an
-- accepted row for the period is judged against the due date and the run's as_of (§4.7). Rows are
-- attributed to the sending unit (its landing folder) and the period they report.
with units_in_scope as (
    select distinct
        fiscal_year,
        period_no,
        unit_code
    from {{ ref('int_targets_in_force') }}
),

periods_due as (
    select
        fiscal_year,
        period_no,
        end_date,
        cast({{ dbt.dateadd('day', setting('deadline_days'), 'end_date') }} as date) as due_date
    from {{ ref('stg_plans__periods') }}
),

unit_periods as (
    select
        units_in_scope.fiscal_year,
        units_in_scope.period_no,
        units_in_scope.unit_code,
        periods_due.due_date
    from units_in_scope
    inner join periods_due
        on units_in_scope.fiscal_year = periods_due.fiscal_year
        and units_in_scope.period_no = periods_due.period_no
),

files_received as (
    -- a superseded_partial file was the start of a file received later, not a file of its own
    select
        file_id,
        received_at
    from {{ ref('stg_raw__submission_files') }}
    where outcome = 'ingested'
        and received_at <= {{ as_of_timestamp() }}
),

rows_quarantined as (
    -- the current verdicts (a file judged again keeps its earlier ones, superseded)
    select distinct
        file_id,
        row_number
    from {{ ref('stg_raw__quarantined_rows') }}
    where superseded_at is null
),

rows_received as (
    select
        submission_rows.unit_folder as unit_code,
        submission_rows.fiscal_year,
        submission_rows.period_no,
        submission_rows.file_id,
        case when rows_quarantined.file_id is not null then 1 else 0 end as is_quarantined
    from {{ ref('stg_raw__submission_rows') }} as submission_rows
    inner join files_received
        on submission_rows.file_id = files_received.file_id
    left join rows_quarantined
        on submission_rows.file_id = rows_quarantined.file_id
        and submission_rows.row_number = rows_quarantined.row_number
),

rows_received_counted as (
    select
        unit_code,
        fiscal_year,
        period_no,
        count(distinct file_id) as n_files,
        count(*) as n_rows_received,
        sum(is_quarantined) as n_rows_quarantined
    from rows_received
    group by unit_code, fiscal_year, period_no
),

rows_accepted_counted as (
    select
        unit_folder as unit_code,
        fiscal_year,
        period_no,
        count(*) as n_rows_accepted,
        min(received_at) as first_received_at
    from {{ ref('int_submission_rows_accepted') }}
    where received_at <= {{ as_of_timestamp() }}
    group by unit_folder, fiscal_year, period_no
),

compliance_judged as (
    select
        unit_periods.fiscal_year,
        unit_periods.period_no,
        unit_periods.unit_code,
        unit_periods.due_date,
        rows_accepted_counted.first_received_at,
        case
            when rows_accepted_counted.first_received_at is not null
                and cast(rows_accepted_counted.first_received_at as date) <= unit_periods.due_date
                then 'on_time'
            when rows_accepted_counted.first_received_at is not null then 'late'
            when {{ as_of_date() }} <= unit_periods.due_date then 'pending'
            else 'missing'
        end as compliance_status,
        case
            when rows_accepted_counted.first_received_at is null then null
            when cast(rows_accepted_counted.first_received_at as date) <= unit_periods.due_date then 0
            else {{ dbt.datediff('unit_periods.due_date', 'cast(rows_accepted_counted.first_received_at as date)', 'day') }}
        end as days_late,
        coalesce(rows_received_counted.n_files, 0) as n_files,
        coalesce(rows_received_counted.n_rows_received, 0) as n_rows_received,
        coalesce(rows_accepted_counted.n_rows_accepted, 0) as n_rows_accepted,
        coalesce(rows_received_counted.n_rows_quarantined, 0) as n_rows_quarantined
    from unit_periods
    left join rows_received_counted
        on unit_periods.unit_code = rows_received_counted.unit_code
        and unit_periods.fiscal_year = rows_received_counted.fiscal_year
        and unit_periods.period_no = rows_received_counted.period_no
    left join rows_accepted_counted
        on unit_periods.unit_code = rows_accepted_counted.unit_code
        and unit_periods.fiscal_year = rows_accepted_counted.fiscal_year
        and unit_periods.period_no = rows_accepted_counted.period_no
)

select
    fiscal_year,
    period_no,
    unit_code,
    due_date,
    first_received_at,
    compliance_status,
    cast(days_late as integer) as days_late,
    cast(n_files as integer) as n_files,
    cast(n_rows_received as integer) as n_rows_received,
    cast(n_rows_accepted as integer) as n_rows_accepted,
    cast(n_rows_quarantined as integer) as n_rows_quarantined
from compliance_judged
