-- Each KPI's units by status, per period, as the meeting packs count them: lead (H) units and
-- supporting units apart (a unit without a role counts as supporting), the off-track units and
-- the lowest off-track ratio. A KPI with at least one off-track unit is an item for decision at
-- the H unit's meeting (is_decision_item).
with kpi_progress as (
    select
        fiscal_year,
        period_no,
        period_key,
        policy_code,
        kpi_code,
        role,
        achievement_ratio,
        status,
        case when role = 'H' then 0 else 1 end as is_support
    from {{ ref('fct_kpi_progress') }}
),

kpis_counted as (
    select
        fiscal_year,
        period_no,
        period_key,
        policy_code,
        kpi_code,
        count(*) as n_units,
        sum(1 - is_support) as n_lead_units,
        sum(is_support) as n_support_units,
        sum(case when status = 'on_track' then is_support else 0 end) as n_support_on_track,
        sum(case when status = 'at_risk' then is_support else 0 end) as n_support_at_risk,
        sum(case when status = 'off_track' then is_support else 0 end) as n_support_off_track,
        sum(case when status = 'no_data' then is_support else 0 end) as n_support_no_data,
        sum(case when status = 'off_track' then 1 else 0 end) as n_units_off_track,
        min(case when status = 'off_track' then achievement_ratio end) as lowest_off_track_ratio
    from kpi_progress
    group by fiscal_year, period_no, period_key, policy_code, kpi_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(policy_code as varchar) as policy_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(n_units as integer) as n_units,
    cast(n_lead_units as integer) as n_lead_units,
    cast(n_support_units as integer) as n_support_units,
    cast(n_support_on_track as integer) as n_support_on_track,
    cast(n_support_at_risk as integer) as n_support_at_risk,
    cast(n_support_off_track as integer) as n_support_off_track,
    cast(n_support_no_data as integer) as n_support_no_data,
    cast(n_units_off_track as integer) as n_units_off_track,
    cast(lowest_off_track_ratio as double precision) as lowest_off_track_ratio,
    cast(n_units_off_track > 0 as boolean) as is_decision_item
from kpis_counted
