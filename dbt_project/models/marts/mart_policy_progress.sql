with policy_progress as (
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
    from {{ ref('int_policy_progress_aggregated') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

policies as (
    -- the policy's group, primary dimension and key-project flag in force at the period
    select
        fiscal_year,
        period_no,
        policy_code,
        group_code,
        dimension_code,
        is_key_project
    from {{ ref('int_policies_in_force') }}
),

policy_progress_described as (
    select
        policy_progress.fiscal_year,
        policy_progress.period_no,
        periods.period_key,
        policy_progress.policy_code,
        policies.group_code,
        policies.dimension_code,
        coalesce(policies.is_key_project, false) as is_key_project,
        policy_progress.n_pairs,
        policy_progress.n_pairs_with_data,
        100 * policy_progress.mean_capped_ratio as progress_pct,
        100 * policy_progress.h_mean_capped_ratio as h_progress_pct,
        100 * policy_progress.r_mean_capped_ratio as r_progress_pct,
        policy_progress.status,
        policy_progress.n_on_track,
        policy_progress.n_at_risk,
        policy_progress.n_off_track,
        policy_progress.n_no_data
    from policy_progress
    inner join periods
        on policy_progress.fiscal_year = periods.fiscal_year
        and policy_progress.period_no = periods.period_no
    left join policies
        on policy_progress.fiscal_year = policies.fiscal_year
        and policy_progress.period_no = policies.period_no
        and policy_progress.policy_code = policies.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(policy_code as varchar) as policy_code,
    cast(group_code as varchar) as group_code,
    cast(dimension_code as varchar) as dimension_code,
    cast(is_key_project as boolean) as is_key_project,
    cast(n_pairs as integer) as n_pairs,
    cast(n_pairs_with_data as integer) as n_pairs_with_data,
    cast(progress_pct as double precision) as progress_pct,
    cast(h_progress_pct as double precision) as h_progress_pct,
    cast(r_progress_pct as double precision) as r_progress_pct,
    cast(status as varchar) as status,
    cast(n_on_track as integer) as n_on_track,
    cast(n_at_risk as integer) as n_at_risk,
    cast(n_off_track as integer) as n_off_track,
    cast(n_no_data as integer) as n_no_data
from policy_progress_described
