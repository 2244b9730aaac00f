-- Each mission group and the whole city (group_code 'CITY') per period: each policy weighs the
-- same, its own mean capped ratio over pairs with data; counts are policies by policy status.
with policy_progress as (
    select
        int_policy_progress_aggregated.fiscal_year,
        int_policy_progress_aggregated.period_no,
        int_policy_progress_aggregated.policy_code,
        policies.group_code,
        int_policy_progress_aggregated.mean_capped_ratio,
        int_policy_progress_aggregated.status
    from {{ ref('int_policy_progress_aggregated') }} as int_policy_progress_aggregated
    inner join {{ ref('int_policies_in_force') }} as policies
        on int_policy_progress_aggregated.fiscal_year = policies.fiscal_year
        and int_policy_progress_aggregated.period_no = policies.period_no
        and int_policy_progress_aggregated.policy_code = policies.policy_code
),

policy_progress_scoped as (
    select
        fiscal_year,
        period_no,
        group_code,
        false as is_city,
        policy_code,
        mean_capped_ratio,
        status
    from policy_progress
    union all
    select
        fiscal_year,
        period_no,
        'CITY' as group_code,
        true as is_city,
        policy_code,
        mean_capped_ratio,
        status
    from policy_progress
),

group_rollup as (
    select
        fiscal_year,
        period_no,
        group_code,
        count(*) as n_policies,
        sum(case when mean_capped_ratio is not null then 1 else 0 end) as n_policies_with_data,
        {{ exact_mean('mean_capped_ratio') }} as mean_policy_ratio,
        sum(case when status = 'on_track' then 1 else 0 end) as n_on_track,
        sum(case when status = 'at_risk' then 1 else 0 end) as n_at_risk,
        sum(case when status = 'off_track' then 1 else 0 end) as n_off_track,
        sum(case when status = 'no_data' then 1 else 0 end) as n_no_data
    from policy_progress_scoped
    group by fiscal_year, period_no, group_code
),

periods as (
    -- the periods of every fiscal year that has at least one policy row
    select
        plan_periods.fiscal_year,
        plan_periods.period_no,
        plan_periods.period_key
    from {{ ref('stg_plans__periods') }} as plan_periods
    where plan_periods.fiscal_year in (select fiscal_year from policy_progress)
),

groups_listed as (
    -- every mission group appears, with zero policies when none has a pair that year
    select
        group_code,
        false as is_city
    from {{ ref('stg_reference__mission_groups') }}
    union all
    select
        'CITY' as group_code,
        true as is_city
),

group_periods as (
    select
        periods.fiscal_year,
        periods.period_no,
        periods.period_key,
        groups_listed.group_code,
        groups_listed.is_city
    from periods
    cross join groups_listed
),

group_progress as (
    select
        group_periods.fiscal_year,
        group_periods.period_no,
        group_periods.period_key,
        group_periods.group_code,
        group_periods.is_city,
        coalesce(group_rollup.n_policies, 0) as n_policies,
        coalesce(group_rollup.n_policies_with_data, 0) as n_policies_with_data,
        100 * group_rollup.mean_policy_ratio as progress_pct,
        {{ status_from_ratio('group_rollup.mean_policy_ratio') }} as status,
        coalesce(group_rollup.n_on_track, 0) as n_on_track,
        coalesce(group_rollup.n_at_risk, 0) as n_at_risk,
        coalesce(group_rollup.n_off_track, 0) as n_off_track,
        coalesce(group_rollup.n_no_data, 0) as n_no_data
    from group_periods
    left join group_rollup
        on group_periods.fiscal_year = group_rollup.fiscal_year
        and group_periods.period_no = group_rollup.period_no
        and group_periods.group_code = group_rollup.group_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(group_code as varchar) as group_code,
    cast(is_city as boolean) as is_city,
    cast(n_policies as integer) as n_policies,
    cast(n_policies_with_data as integer) as n_policies_with_data,
    cast(progress_pct as double precision) as progress_pct,
    cast(status as varchar) as status,
    cast(n_on_track as integer) as n_on_track,
    cast(n_at_risk as integer) as n_at_risk,
    cast(n_off_track as integer) as n_off_track,
    cast(n_no_data as integer) as n_no_data
from group_progress
