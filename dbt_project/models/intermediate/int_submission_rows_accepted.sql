-- Accepted rows: rows of ingested files that validation has run on, with no quarantine entry.
-- Every accepted row stays here (the history); int_kpi_values_current picks the current one.
-- Only outcome 'ingested' counts: a superseded_partial file (read while still being written, its
-- bytes the start of a later file at the same path) keeps its raw rows, but none is accepted.
with files_validated as (
    select
        file_id,
        file_name,
        received_at
    from {{ ref('stg_raw__submission_files') }}
    where outcome = 'ingested'
        and validated_at is not null
),

rows_quarantined as (
    -- the current verdicts (a file judged again keeps its earlier ones, superseded)
    select distinct
        file_id,
        row_number
    from {{ ref('stg_raw__quarantined_rows') }}
    where superseded_at is null
),

rows_accepted as (
    select
        submission_rows.file_id,
        submission_rows.row_number,
        files_validated.file_name,
        files_validated.received_at,
        submission_rows.unit_folder,
        submission_rows.unit_code,
        submission_rows.fiscal_year,
        submission_rows.period_no,
        submission_rows.kpi_code,
        submission_rows.actual_value,
        submission_rows.budget_spent_baht,
        submission_rows.status,
        submission_rows.obstacles,
        submission_rows.reported_on
    from {{ ref('stg_raw__submission_rows') }} as submission_rows
    inner join files_validated
        on submission_rows.file_id = files_validated.file_id
    where not exists (
        select 1
        from rows_quarantined
        where rows_quarantined.file_id = submission_rows.file_id
            and rows_quarantined.row_number = submission_rows.row_number
    )
)

select
    file_id,
    row_number,
    file_name,
    received_at,
    unit_folder,
    unit_code,
    fiscal_year,
    period_no,
    kpi_code,
    actual_value,
    budget_spent_baht,
    status,
    obstacles,
    reported_on
from rows_accepted
