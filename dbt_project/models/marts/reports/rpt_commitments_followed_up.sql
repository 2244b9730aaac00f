-- The commitments each H unit's meeting pack and report to the executives follow up, per period
-- (docs/DOMAIN.md §7): those made at the unit's earlier meetings that are open or overdue at the
-- period's end, and those closed (done or dropped) in the period — since the last meeting. Only
-- what was known at the period's end (status, days overdue, the latest note), never the run's
-- "now", so a period's reports do not change as time passes. follow_up_rank orders them for every
-- reader: overdue first by days overdue (most first), then open by due date, then the closed ones.
with commitments as (
    select
        fiscal_year,
        period_no,
        period_key,
        h_unit_code,
        commitment_id,
        action,
        owner_unit,
        policy_code,
        kpi_code,
        due_date,
        made_fiscal_year,
        made_period_no,
        made_at_meeting_date,
        status_at_period_end,
        days_overdue_at_period_end,
        closed_fiscal_year,
        closed_period_no
    from {{ ref('mart_commitments') }}
),

minutes as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        meeting_date,
        sheet,
        commitment_id,
        note
    from {{ ref('int_minutes_current') }}
),

updates as (
    select
        h_unit_code,
        commitment_id,
        fiscal_year * 6 + period_no as update_seq,
        meeting_date,
        note
    from minutes
    where sheet = 'updates'
),

earlier_commitments as (
    -- made at an earlier meeting; still open, or closed at this period's meeting
    select
        commitments.*,
        commitments.fiscal_year * 6 + commitments.period_no as period_seq,
        coalesce(
            commitments.status_at_period_end in ('done', 'dropped')
            and commitments.closed_fiscal_year = commitments.fiscal_year
            and commitments.closed_period_no = commitments.period_no,
            false
        ) as is_closed_in_period
    from commitments
    where commitments.made_fiscal_year * 6 + commitments.made_period_no
        < commitments.fiscal_year * 6 + commitments.period_no
),

followed_up as (
    select *
    from earlier_commitments
    where status_at_period_end in ('open', 'overdue') or is_closed_in_period
),

notes_by_period_end as (
    select
        followed_up.h_unit_code,
        followed_up.commitment_id,
        followed_up.period_seq,
        updates.note,
        row_number() over (
            partition by followed_up.h_unit_code, followed_up.commitment_id, followed_up.period_seq
            order by updates.update_seq desc, updates.meeting_date desc
        ) as recency
    from followed_up
    inner join updates
        on followed_up.h_unit_code = updates.h_unit_code
        and followed_up.commitment_id = updates.commitment_id
        and updates.update_seq <= followed_up.period_seq
),

followed_up_ranked as (
    select
        followed_up.*,
        notes.note as note_at_period_end,
        row_number() over (
            partition by followed_up.fiscal_year, followed_up.period_no, followed_up.h_unit_code
            order by
                case followed_up.status_at_period_end
                    when 'overdue' then 0 when 'open' then 1 when 'done' then 2 else 3
                end,
                followed_up.days_overdue_at_period_end desc,
                followed_up.due_date,
                followed_up.commitment_id
        ) as follow_up_rank
    from followed_up
    left join notes_by_period_end as notes
        on followed_up.h_unit_code = notes.h_unit_code
        and followed_up.commitment_id = notes.commitment_id
        and followed_up.period_seq = notes.period_seq
        and notes.recency = 1
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(h_unit_code as varchar) as h_unit_code,
    cast(follow_up_rank as integer) as follow_up_rank,
    cast(commitment_id as varchar) as commitment_id,
    cast(action as varchar) as action,
    cast(owner_unit as varchar) as owner_unit,
    cast(policy_code as varchar) as policy_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(due_date as date) as due_date,
    cast(made_fiscal_year as integer) as made_fiscal_year,
    cast(made_period_no as integer) as made_period_no,
    cast(made_at_meeting_date as date) as made_at_meeting_date,
    cast(status_at_period_end as varchar) as status_at_period_end,
    cast(days_overdue_at_period_end as integer) as days_overdue_at_period_end,
    cast(is_closed_in_period as boolean) as is_closed_in_period,
    cast(note_at_period_end as varchar) as note_at_period_end
from followed_up_ranked
