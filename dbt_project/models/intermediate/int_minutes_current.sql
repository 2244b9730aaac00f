-- The accepted rows of the current minutes of every meeting (docs/DOMAIN.md §7): a meeting is an
-- H unit × period; its current minutes are the latest valid file received by as_of (by received
-- time, then file name, then file id) — resubmitted minutes replace the earlier ones, which stay
-- in the ledger. A file is valid when its meeting row was accepted.
with files as (
    select
        file_id,
        unit_folder,
        file_name,
        received_at
    from {{ ref('stg_raw__minutes_files') }}
    where outcome = 'ingested'
        and validated_at is not null
        and received_at <= {{ as_of_timestamp() }}
),

quarantined as (
    select distinct
        file_id,
        sheet,
        row_number
    from {{ ref('stg_raw__minutes_quarantined_rows') }}
),

accepted as (
    select rows.*
    from {{ ref('stg_raw__minutes_rows') }} as rows
    inner join files
        on rows.file_id = files.file_id
    where not exists (
        select 1
        from quarantined
        where quarantined.file_id = rows.file_id
            and quarantined.sheet = rows.sheet
            and quarantined.row_number = rows.row_number
    )
),

meetings as (
    select
        files.file_id,
        files.unit_folder as h_unit_code,
        files.file_name,
        files.received_at,
        accepted.period_fiscal_year as fiscal_year,
        accepted.period_key as period_no,
        accepted.meeting_date
    from accepted
    inner join files
        on accepted.file_id = files.file_id
    where accepted.sheet = 'meeting'
),

meetings_ranked as (
    select
        meetings.*,
        row_number() over (
            partition by h_unit_code, fiscal_year, period_no
            order by received_at desc, file_name desc, file_id desc
        ) as version_rank,
        count(*) over (partition by h_unit_code, fiscal_year, period_no) as n_versions
    from meetings
),

current_meetings as (
    select *
    from meetings_ranked
    where version_rank = 1
)

select
    cast(current_meetings.h_unit_code as varchar) as h_unit_code,
    cast(current_meetings.fiscal_year as integer) as fiscal_year,
    cast(current_meetings.period_no as integer) as period_no,
    cast(current_meetings.file_id as bigint) as file_id,
    cast(current_meetings.received_at as timestamp) as received_at,
    cast(current_meetings.meeting_date as date) as meeting_date,
    cast(current_meetings.n_versions as integer) as n_versions,
    cast(accepted.sheet as varchar) as sheet,
    cast(accepted.row_number as integer) as row_number,
    cast(accepted.unit_code as varchar) as unit_code,
    cast(accepted.present as boolean) as present,
    cast(accepted.decision_no as double precision) as decision_no,
    cast(accepted.text as varchar) as decision_text,
    cast(accepted.policy_code as varchar) as policy_code,
    cast(accepted.commitment_id as varchar) as commitment_id,
    cast(accepted.action as varchar) as action,
    cast(accepted.owner_unit as varchar) as owner_unit,
    cast(accepted.due_date as date) as due_date,
    cast(accepted.kpi_code as varchar) as kpi_code,
    cast(accepted.status as varchar) as commitment_status,
    cast(accepted.note as varchar) as note
from current_meetings
inner join accepted
    on current_meetings.file_id = accepted.file_id
