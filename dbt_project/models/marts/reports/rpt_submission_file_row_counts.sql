-- Rows of every received file: received, accepted, quarantined, still pending validation, and
-- superseded (a partial file whose whole version arrived at the same path, DOMAIN §3).
-- The one count of accepted rows (the run summary's, the compliance mart's): a row of an
-- ingested file that validation has run on, with no quarantine entry
-- (int_submission_rows_accepted). A row of a file not validated yet has passed nothing, so it is
-- pending, not accepted; received = accepted + quarantined + pending + superseded for every file.
with files as (
    select
        file_id,
        unit_folder,
        file_name,
        received_at,
        outcome,
        validated_at
    from {{ ref('stg_raw__submission_files') }}
),

rows_received as (
    select
        file_id,
        count(*) as n_rows_received
    from {{ ref('stg_raw__submission_rows') }}
    group by file_id
),

rows_accepted as (
    select
        file_id,
        count(*) as n_rows_accepted
    from {{ ref('int_submission_rows_accepted') }}
    group by file_id
),

rows_quarantined as (
    select
        file_id,
        count(distinct row_number) as n_rows_quarantined
    from {{ ref('stg_raw__quarantined_rows') }}
    where superseded_at is null  -- the current verdicts
    group by file_id
),

files_counted as (
    select
        files.file_id,
        files.unit_folder,
        files.file_name,
        files.received_at,
        files.outcome,
        files.validated_at is not null as is_validated,
        coalesce(rows_received.n_rows_received, 0) as n_rows_received,
        coalesce(rows_accepted.n_rows_accepted, 0) as n_rows_accepted,
        coalesce(rows_quarantined.n_rows_quarantined, 0) as n_rows_quarantined,
        case
            when files.outcome = 'ingested' and files.validated_at is null
                then coalesce(rows_received.n_rows_received, 0)
            else 0
        end as n_rows_pending_validation,
        case
            when files.outcome = 'superseded_partial'
                then coalesce(rows_received.n_rows_received, 0)
            else 0
        end as n_rows_superseded
    from files
    left join rows_received
        on files.file_id = rows_received.file_id
    left join rows_accepted
        on files.file_id = rows_accepted.file_id
    left join rows_quarantined
        on files.file_id = rows_quarantined.file_id
)

select
    cast(file_id as bigint) as file_id,
    cast(unit_folder as varchar) as unit_folder,
    cast(file_name as varchar) as file_name,
    cast(received_at as timestamp) as received_at,
    cast(outcome as varchar) as outcome,
    cast(is_validated as boolean) as is_validated,
    cast(n_rows_received as integer) as n_rows_received,
    cast(n_rows_accepted as integer) as n_rows_accepted,
    cast(n_rows_quarantined as integer) as n_rows_quarantined,
    cast(n_rows_pending_validation as integer) as n_rows_pending_validation,
    cast(n_rows_superseded as integer) as n_rows_superseded
from files_counted
