-- Policy × period rollup of the in-scope pairs: each (unit, KPI) pair weighs the same, capped ratios
-- only, means over pairs with data; H and R pairs also apart.
with kpi_progress as (
    select
        fiscal_year,
        period_no,
        policy_code,
        role,
        capped_ratio,
        status,
        has_data
    from {{ ref('int_kpi_progress_computed') }}
),

policy_rollup as (
    select
        fiscal_year,
        period_no,
        policy_code,
        count(*) as n_pairs,
        sum(case when has_data then 1 else 0 end) as n_pairs_with_data,
        {{ exact_mean('capped_ratio') }} as mean_capped_ratio,
        {{ exact_mean("case when role = 'H' then capped_ratio end") }} as h_mean_capped_ratio,
        {{ exact_mean("case when role = 'R' then capped_ratio end") }} as r_mean_capped_ratio,
        sum(case when status = 'on_track' then 1 else 0 end) as n_on_track,
        sum(case when status = 'at_risk' then 1 else 0 end) as n_at_risk,
        sum(case when status = 'off_track' then 1 else 0 end) as n_off_track,
        sum(case when status = 'no_data' then 1 else 0 end) as n_no_data
    from kpi_progress
    group by fiscal_year, period_no, policy_code
),

policy_progress as (
    select
        fiscal_year,
        period_no,
        policy_code,
        cast(n_pairs as integer) as n_pairs,
        cast(n_pairs_with_data as integer) as n_pairs_with_data,
        cast(mean_capped_ratio as double precision) as mean_capped_ratio,
        cast(h_mean_capped_ratio as double precision) as h_mean_capped_ratio,
        cast(r_mean_capped_ratio as double precision) as r_mean_capped_ratio,
        {{ status_from_ratio('mean_capped_ratio') }} as status,
        cast(n_on_track as integer) as n_on_track,
        cast(n_at_risk as integer) as n_at_risk,
        cast(n_off_track as integer) as n_off_track,
        cast(n_no_data as integer) as n_no_data
    from policy_rollup
)

select
    fiscal_year,
    period_no,
    policy_code,
    n_pairs,
    n_pairs_with_data,
    mean_capped_ratio,
    h_mean_capped_ratio,
    r_mean_capped_ratio,
    status,
    n_on_track,
    n_at_risk,
    n_off_track,
    n_no_data
from policy_progress
