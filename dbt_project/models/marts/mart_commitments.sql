-- Commitment × period (docs/DOMAIN.md §7): every commitment an H unit's meeting made, from the
-- period it was made to the period being reported at as_of, with its status at the period's end
-- and as of the run — open, done, dropped, or overdue (open past its due date) — the days overdue,
-- its owner, policy and KPI, the meeting it came from and the one that closed it. Only the H unit
-- that made a commitment updates it, at its later meetings.
with minutes as (
    select
        h_unit_code,
        fiscal_year,
        period_no,
        meeting_date,
        sheet,
        commitment_id,
        action,
        owner_unit,
        due_date,
        policy_code,
        kpi_code,
        commitment_status,
        note
    from {{ ref('int_minutes_current') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key,
        end_date,
        fiscal_year * 6 + period_no as period_seq
    from {{ ref('stg_plans__periods') }}
),

reported_now as (
    -- the period being reported at as_of: the latest that has ended
    select max(period_seq) as period_seq
    from periods
    where end_date < {{ as_of_date() }}
),

made as (
    select
        minutes.h_unit_code,
        minutes.commitment_id,
        minutes.fiscal_year as made_fiscal_year,
        minutes.period_no as made_period_no,
        minutes.fiscal_year * 6 + minutes.period_no as made_seq,
        minutes.meeting_date as made_at_meeting_date,
        minutes.action,
        minutes.owner_unit,
        minutes.due_date,
        minutes.policy_code,
        minutes.kpi_code
    from minutes
    where minutes.sheet = 'commitments'
),

updates as (
    select
        h_unit_code,
        commitment_id,
        fiscal_year * 6 + period_no as update_seq,
        fiscal_year as update_fiscal_year,
        period_no as update_period_no,
        meeting_date as update_meeting_date,
        commitment_status,
        note
    from minutes
    where sheet = 'updates'
),

commitment_periods as (
    select
        made.*,
        periods.fiscal_year,
        periods.period_no,
        periods.period_key,
        periods.end_date,
        periods.period_seq
    from made
    cross join reported_now
    inner join periods
        on periods.period_seq >= made.made_seq
        and periods.period_seq <= greatest(made.made_seq, coalesce(reported_now.period_seq, 0))
),

updates_by_period_end as (
    select
        commitment_periods.h_unit_code,
        commitment_periods.commitment_id,
        commitment_periods.period_seq,
        updates.commitment_status,
        row_number() over (
            partition by
                commitment_periods.h_unit_code,
                commitment_periods.commitment_id,
                commitment_periods.period_seq
            order by updates.update_seq desc, updates.update_meeting_date desc
        ) as recency
    from commitment_periods
    inner join updates
        on commitment_periods.h_unit_code = updates.h_unit_code
        and commitment_periods.commitment_id = updates.commitment_id
        and updates.update_seq <= commitment_periods.period_seq
),

latest_updates as (
    select
        h_unit_code,
        commitment_id,
        commitment_status,
        note,
        row_number() over (
            partition by h_unit_code, commitment_id
            order by update_seq desc, update_meeting_date desc
        ) as recency
    from updates
),

closing_updates as (
    -- the first meeting that marked it done or dropped
    select
        h_unit_code,
        commitment_id,
        update_fiscal_year,
        update_period_no,
        row_number() over (
            partition by h_unit_code, commitment_id
            order by update_seq, update_meeting_date
        ) as firstness
    from updates
    where commitment_status in ('done', 'dropped')
),

statuses as (
    select
        commitment_periods.*,
        coalesce(at_period_end.commitment_status, 'open') as status_at_period_end,
        coalesce(now.commitment_status, 'open') as status_now,
        now.note as latest_note,
        closing.update_fiscal_year as closed_fiscal_year,
        closing.update_period_no as closed_period_no
    from commitment_periods
    left join updates_by_period_end as at_period_end
        on commitment_periods.h_unit_code = at_period_end.h_unit_code
        and commitment_periods.commitment_id = at_period_end.commitment_id
        and commitment_periods.period_seq = at_period_end.period_seq
        and at_period_end.recency = 1
    left join latest_updates as now
        on commitment_periods.h_unit_code = now.h_unit_code
        and commitment_periods.commitment_id = now.commitment_id
        and now.recency = 1
    left join closing_updates as closing
        on commitment_periods.h_unit_code = closing.h_unit_code
        and commitment_periods.commitment_id = closing.commitment_id
        and closing.firstness = 1
),

statuses_judged as (
    select
        statuses.*,
        case
            when status_at_period_end = 'open' and due_date < end_date then 'overdue'
            else status_at_period_end
        end as period_end_status,
        case
            when status_at_period_end = 'open' and due_date < end_date
                then {{ dbt.datediff('due_date', 'end_date', 'day') }}
        end as days_overdue_at_period_end,
        case
            when status_now = 'open' and due_date < {{ as_of_date() }} then 'overdue'
            else status_now
        end as run_status,
        case
            when status_now = 'open' and due_date < {{ as_of_date() }}
                then {{ dbt.datediff('due_date', as_of_date(), 'day') }}
        end as days_overdue_now
    from statuses
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(h_unit_code as varchar) as h_unit_code,
    cast(commitment_id as varchar) as commitment_id,
    cast(action as varchar) as action,
    cast(owner_unit as varchar) as owner_unit,
    cast(policy_code as varchar) as policy_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(due_date as date) as due_date,
    cast(made_fiscal_year as integer) as made_fiscal_year,
    cast(made_period_no as integer) as made_period_no,
    cast(made_at_meeting_date as date) as made_at_meeting_date,
    cast(period_end_status as varchar) as status_at_period_end,
    cast(days_overdue_at_period_end as integer) as days_overdue_at_period_end,
    cast(run_status as varchar) as status_now,
    cast(days_overdue_now as integer) as days_overdue_now,
    cast(closed_fiscal_year as integer) as closed_fiscal_year,
    cast(closed_period_no as integer) as closed_period_no,
    cast(latest_note as varchar) as latest_note
from statuses_judged
