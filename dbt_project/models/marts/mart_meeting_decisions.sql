-- H unit × period × decision (docs/DOMAIN.md §7): what each lead unit's meeting with its supporting
-- units decided (มติที่ประชุม), from the meeting's current minutes (a resubmission replaces the
-- earlier decisions), with the policy a decision concerns when the minutes name one. The report to
-- the executives lists them.
with minutes as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        file_id,
        meeting_date,
        sheet,
        decision_no,
        decision_text,
        policy_code
    from {{ ref('int_minutes_current') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

decisions as (
    select
        minutes.fiscal_year,
        minutes.period_no,
        periods.period_key,
        minutes.h_unit_code,
        minutes.decision_no,
        minutes.decision_text,
        minutes.policy_code,
        minutes.meeting_date,
        minutes.file_id
    from minutes
    inner join periods
        on minutes.fiscal_year = periods.fiscal_year
        and minutes.period_no = periods.period_no
    where minutes.sheet = 'decisions'
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(h_unit_code as varchar) as h_unit_code,
    cast(decision_no as double precision) as decision_no,
    cast(decision_text as varchar) as decision_text,
    cast(policy_code as varchar) as policy_code,
    cast(meeting_date as date) as meeting_date,
    cast(file_id as bigint) as minutes_file_id
from decisions
