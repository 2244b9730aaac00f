-- Project (โครงการ/กิจกรรม) × period: the rollup of its KPIs' in-scope pairs by the same rules as a
-- policy (each pair the same weight, capped ratios, H and R apart), with its policy and group.
with project_progress as (
    select
        fiscal_year,
        period_no,
        project_code,
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
    from {{ ref('int_project_progress_aggregated') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

policies as (
    select
        fiscal_year,
        period_no,
        policy_code,
        group_code,
        is_key_project
    from {{ ref('int_policies_in_force') }}
),

project_progress_described as (
    select
        project_progress.fiscal_year,
        project_progress.period_no,
        periods.period_key,
        project_progress.project_code,
        project_progress.policy_code,
        policies.group_code,
        coalesce(policies.is_key_project, false) as is_key_project,
        project_progress.n_pairs,
        project_progress.n_pairs_with_data,
        100 * project_progress.mean_capped_ratio as progress_pct,
        100 * project_progress.h_mean_capped_ratio as h_progress_pct,
        100 * project_progress.r_mean_capped_ratio as r_progress_pct,
        project_progress.status,
        project_progress.n_on_track,
        project_progress.n_at_risk,
        project_progress.n_off_track,
        project_progress.n_no_data
    from project_progress
    inner join periods
        on project_progress.fiscal_year = periods.fiscal_year
        and project_progress.period_no = periods.period_no
    left join policies
        on project_progress.fiscal_year = policies.fiscal_year
        and project_progress.period_no = policies.period_no
        and project_progress.policy_code = policies.policy_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(project_code as varchar) as project_code,
    cast(policy_code as varchar) as policy_code,
    cast(group_code as varchar) as group_code,
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
from project_progress_described
