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

targets_with_roles as (
    -- read twice (pairs and progress), so PostgreSQL computes it once: the role join stays
    -- below the join with the actuals, whose size it underestimates
    select
        targets_in_force.*,
        unit_roles.role
    from targets_in_force
    left join unit_roles
        on targets_in_force.fiscal_year = unit_roles.fiscal_year
        and targets_in_force.period_no = unit_roles.period_no
        and targets_in_force.policy_code = unit_roles.policy_code
        and targets_in_force.unit_code = unit_roles.unit_code
),

pairs_of_year as (
    -- (unit, KPI, year) in scope at some period, with the aggregation it has then
    select distinct
        fiscal_year,
        unit_code,
        kpi_code,
        aggregation
    from targets_with_roles
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
    -- values_seen counts the periods with a value so far: the rows from one value up to the next
    -- share it, so the latest value to date is the one value in that run (no self-join, which
    -- PostgreSQL's planner turned into a nested loop over every pair of rows)
    select
        pair_periods.*,
        sum(period_value) over (
            partition by unit_code, kpi_code, fiscal_year, aggregation
            order by period_no
            rows between unbounded preceding and current row
        ) as running_sum,
        count(period_value) over (
            partition by unit_code, kpi_code, fiscal_year, aggregation
            order by period_no
            rows between unbounded preceding and current row
        ) as values_seen
    from pair_periods
),

latest_values as (
    select
        running_values.*,
        max(period_value) over (
            partition by unit_code, kpi_code, fiscal_year, aggregation, values_seen
        ) as latest_value
    from running_values
),

actuals_to_date as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        aggregation,
        period_value,
        case
            when aggregation = 'sum' then running_sum
            when aggregation = 'last' then latest_value
        end as actual_ytd
    from latest_values
),

progress_in_scope as (
    -- the last join: PostgreSQL underestimates its five-column match, and a join above it ran as a
    -- nested loop over every pair of rows (minutes at bangkok scale)
    select
        targets_with_roles.*,
        actuals_to_date.period_value,
        actuals_to_date.actual_ytd
    from targets_with_roles
    inner join actuals_to_date
        on targets_with_roles.fiscal_year = actuals_to_date.fiscal_year
        and targets_with_roles.period_no = actuals_to_date.period_no
        and targets_with_roles.unit_code = actuals_to_date.unit_code
        and targets_with_roles.kpi_code = actuals_to_date.kpi_code
        and targets_with_roles.aggregation = actuals_to_date.aggregation
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
