-- Every in-scope (unit, KPI, period) with actual to date, the target to date of the plan in force,
-- the achievement ratio (uncapped and capped) and status (docs/DOMAIN.md §4.1–4.4, §6). Actuals to date
-- run over every period of the year (a unit added at P3 that reported earlier keeps those values);
-- the scope and the target are those in force at the period.
with targets_in_force as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        policy_code,
        project_code,
        plan_version_id,
        direction,
        aggregation,
        baseline_value,
        annual_target,
        target_to_date,
        target_rule
    from {{ ref('int_targets_in_force') }}
),

unit_roles as (
    select
        fiscal_year,
        period_no,
        policy_code,
        unit_code,
        role
    from {{ ref('int_unit_roles_in_force') }}
),

values_current as (
    select
        unit_code,
        kpi_code,
        fiscal_year,
        period_no,
        actual_value
    from {{ ref('int_kpi_values_current') }}
),

pairs_of_year as (
    -- (unit, KPI, year) in scope at some period, with the aggregation it has then
    select distinct
        fiscal_year,
        unit_code,
        kpi_code,
        aggregation
    from targets_in_force
),

periods as (
    select
        fiscal_year,
        period_no
    from {{ ref('stg_plans__periods') }}
),

pair_periods as (
    select
        pairs_of_year.fiscal_year,
        periods.period_no,
        pairs_of_year.unit_code,
        pairs_of_year.kpi_code,
        pairs_of_year.aggregation,
        values_current.actual_value as period_value
    from pairs_of_year
    inner join periods
        on pairs_of_year.fiscal_year = periods.fiscal_year
    left join values_current
        on pairs_of_year.unit_code = values_current.unit_code
        and pairs_of_year.kpi_code = values_current.kpi_code
        and pairs_of_year.fiscal_year = values_current.fiscal_year
        and periods.period_no = values_current.period_no
),

running_values as (
    select
        pair_periods.*,
        sum(period_value) over (
            partition by unit_code, kpi_code, fiscal_year, aggregation
            order by period_no
            rows between unbounded preceding and current row
        ) as running_sum,
        max(case when period_value is not null then period_no end) over (
            partition by unit_code, kpi_code, fiscal_year, aggregation
            order by period_no
            rows between unbounded preceding and current row
        ) as latest_period_with_value
    from pair_periods
),

actuals_to_date as (
    select
        running_values.fiscal_year,
        running_values.period_no,
        running_values.unit_code,
        running_values.kpi_code,
        running_values.aggregation,
        running_values.period_value,
        case
            when running_values.aggregation = 'sum' then running_values.running_sum
            when running_values.aggregation = 'last' then latest_values.period_value
        end as actual_ytd
    from running_values
    left join pair_periods as latest_values
        on running_values.unit_code = latest_values.unit_code
        and running_values.kpi_code = latest_values.kpi_code
        and running_values.fiscal_year = latest_values.fiscal_year
        and running_values.aggregation = latest_values.aggregation
        and running_values.latest_period_with_value = latest_values.period_no
),

progress_in_scope as (
    select
        targets_in_force.*,
        unit_roles.role,
        actuals_to_date.period_value,
        actuals_to_date.actual_ytd
    from targets_in_force
    inner join actuals_to_date
        on targets_in_force.fiscal_year = actuals_to_date.fiscal_year
        and targets_in_force.period_no = actuals_to_date.period_no
        and targets_in_force.unit_code = actuals_to_date.unit_code
        and targets_in_force.kpi_code = actuals_to_date.kpi_code
        and targets_in_force.aggregation = actuals_to_date.aggregation
    left join unit_roles
        on targets_in_force.fiscal_year = unit_roles.fiscal_year
        and targets_in_force.period_no = unit_roles.period_no
        and targets_in_force.policy_code = unit_roles.policy_code
        and targets_in_force.unit_code = unit_roles.unit_code
),

ratios as (
    select
        progress_in_scope.*,
        -- a last KPI measured from its baseline (§6): the share of the way from baseline to target
        aggregation = 'last' and baseline_value is not null as uses_baseline,
        case
            when actual_ytd is null then null
            when aggregation = 'last' and baseline_value is not null then
                case
                    when target_to_date = baseline_value then
                        case
                            when direction = 'increase' and actual_ytd >= target_to_date then 1.0
                            when direction = 'decrease' and actual_ytd <= target_to_date then 1.0
                            else 0.0
                        end
                    when direction = 'increase' then
                        greatest(
                            0.0, (actual_ytd - baseline_value) / (target_to_date - baseline_value)
                        )
                    else
                        greatest(
                            0.0, (baseline_value - actual_ytd) / (baseline_value - target_to_date)
                        )
                end
            -- a zero target for an increase KPI counts as achieved
            when direction = 'increase' and target_to_date = 0 then 1.0
            when direction = 'increase' then actual_ytd / target_to_date
            -- a zero target for a decrease KPI: met (1.0) only by an actual of zero, else 0
            when direction = 'decrease' and target_to_date = 0
                then case when actual_ytd = 0 then 1.0 else 0.0 end
            -- an actual of zero on a decrease KPI counts as the cap
            when direction = 'decrease' and actual_ytd = 0
                then cast({{ setting('ratio_cap') }} as double precision)
            when direction = 'decrease' then target_to_date / actual_ytd
        end as achievement_ratio
    from progress_in_scope
),

progress_computed as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        policy_code,
        project_code,
        role,
        direction,
        aggregation,
        plan_version_id,
        target_rule,
        cast(baseline_value as double precision) as baseline_value,
        cast(annual_target as double precision) as annual_target,
        cast(period_value as double precision) as period_value,
        cast(actual_ytd as double precision) as actual_ytd,
        cast(target_to_date as double precision) as target_to_date,
        cast(achievement_ratio as double precision) as achievement_ratio,
        cast({{ capped_ratio('achievement_ratio') }} as double precision) as capped_ratio,
        {{ status_from_ratio('achievement_ratio') }} as status,
        actual_ytd is not null as has_data
    from ratios
)

select
    fiscal_year,
    period_no,
    unit_code,
    kpi_code,
    policy_code,
    project_code,
    role,
    direction,
    aggregation,
    plan_version_id,
    target_rule,
    baseline_value,
    annual_target,
    period_value,
    actual_ytd,
    target_to_date,
    achievement_ratio,
    capped_ratio,
    status,
    has_data
from progress_computed
