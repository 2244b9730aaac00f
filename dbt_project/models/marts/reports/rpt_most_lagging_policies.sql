-- The most lagging policies of each period, the one list the dashboard, the bi/sql tile and the
-- Superset chart show: policies off track or at risk, lowest progress first (then by policy
-- code), at most `most_lagging_policies` per period. A policy on track or without data is never
-- listed, however low the others are. Progress is ranked at 9 decimals so float noise in a mean
-- cannot reorder equal policies between builds or adapters.
with policies_behind_plan as (
    select
        fiscal_year,
        period_no,
        period_key,
        policy_code,
        dimension_code,
        group_code,
        is_key_project,
        progress_pct,
        h_progress_pct,
        r_progress_pct,
        status,
        row_number() over (
            partition by fiscal_year, period_no
            order by cast(progress_pct as decimal(24, 9)), policy_code
        ) as lag_rank
    from {{ ref('mart_policy_progress') }}
    where status in ('off_track', 'at_risk')
),

policies as (
    select
        policy_code,
        title_th,
        title_en
    from {{ ref('dim_policy') }}
),

lead_units as (
    select
        fiscal_year,
        period_no,
        policy_code,
        lead_units_th
    from {{ ref('rpt_policy_lead_units') }}
),

most_lagging as (
    select
        policies_behind_plan.fiscal_year,
        policies_behind_plan.period_no,
        policies_behind_plan.period_key,
        policies_behind_plan.lag_rank,
        policies_behind_plan.policy_code,
        policies.title_th,
        policies.title_en,
        policies_behind_plan.dimension_code,
        policies_behind_plan.group_code,
        policies_behind_plan.is_key_project,
        coalesce(lead_units.lead_units_th, '–') as lead_units_th,
        policies_behind_plan.progress_pct,
        policies_behind_plan.h_progress_pct,
        policies_behind_plan.r_progress_pct,
        policies_behind_plan.status
    from policies_behind_plan
    inner join policies
        on policies_behind_plan.policy_code = policies.policy_code
    left join lead_units
        on policies_behind_plan.fiscal_year = lead_units.fiscal_year
        and policies_behind_plan.period_no = lead_units.period_no
        and policies_behind_plan.policy_code = lead_units.policy_code
    where policies_behind_plan.lag_rank <= {{ setting('most_lagging_policies') }}
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(lag_rank as integer) as lag_rank,
    cast(policy_code as varchar) as policy_code,
    cast(title_th as varchar) as title_th,
    cast(title_en as varchar) as title_en,
    cast(dimension_code as varchar) as dimension_code,
    cast(group_code as varchar) as group_code,
    cast(is_key_project as boolean) as is_key_project,
    cast(lead_units_th as varchar) as lead_units_th,
    cast(progress_pct as double precision) as progress_pct,
    cast(h_progress_pct as double precision) as h_progress_pct,
    cast(r_progress_pct as double precision) as r_progress_pct,
    cast(status as varchar) as status
from most_lagging
