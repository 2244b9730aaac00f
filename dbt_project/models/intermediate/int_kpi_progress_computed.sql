-- Every in-scope pair (unit with a target for the KPI in the year) × the six periods of that year,
-- with actual to date, target to date, achievement ratio (uncapped and capped) and status (docs/DOMAIN.md §4.1–4.4).
with targets as (
    select
        fiscal_year,
        kpi_code,
        unit_code,
        annual_target
    from {{ ref('stg_reference__targets') }}
),

kpis as (
    select
        kpi_code,
        policy_code,
        direction,
        aggregation
    from {{ ref('stg_reference__kpis') }}
),

unit_roles as (
    -- a unit named both H and R on one policy counts as H ('H' < 'R')
    select
        policy_code,
        unit_code,
        min(role) as role
    from {{ ref('stg_reference__assignments') }}
    group by policy_code, unit_code
),

periods as (
    select
        fiscal_year,
        period_no
    from {{ ref('stg_reference__periods') }}
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

pair_periods as (
    select
        targets.fiscal_year,
        periods.period_no,
        targets.unit_code,
        targets.kpi_code,
        kpis.policy_code,
        unit_roles.role,
        kpis.direction,
        kpis.aggregation,
        targets.annual_target
    from targets
    inner join kpis
        on targets.kpi_code = kpis.kpi_code
    inner join periods
        on targets.fiscal_year = periods.fiscal_year
    left join unit_roles
        on kpis.policy_code = unit_roles.policy_code
        and targets.unit_code = unit_roles.unit_code
),

period_values as (
    select
        pair_periods.*,
        values_current.actual_value as period_value
    from pair_periods
    left join values_current
        on pair_periods.unit_code = values_current.unit_code
        and pair_periods.kpi_code = values_current.kpi_code
        and pair_periods.fiscal_year = values_current.fiscal_year
        and pair_periods.period_no = values_current.period_no
),

running_values as (
    select
        period_values.*,
        sum(period_value) over (
            partition by unit_code, kpi_code, fiscal_year
            order by period_no
            rows between unbounded preceding and current row
        ) as running_sum,
        max(case when period_value is not null then period_no end) over (
            partition by unit_code, kpi_code, fiscal_year
            order by period_no
            rows between unbounded preceding and current row
        ) as latest_period_with_value
    from period_values
),

actuals_to_date as (
    select
        running_values.*,
        case
            when running_values.aggregation = 'sum' then running_values.running_sum
            when running_values.aggregation = 'last' then latest_values.period_value
        end as actual_ytd,
        case
            when running_values.aggregation = 'sum'
                then running_values.annual_target * cast(running_values.period_no as double precision) / 6.0
            when running_values.aggregation = 'last'
                then running_values.annual_target
        end as target_to_date
    from running_values
    left join period_values as latest_values
        on running_values.unit_code = latest_values.unit_code
        and running_values.kpi_code = latest_values.kpi_code
        and running_values.fiscal_year = latest_values.fiscal_year
        and running_values.latest_period_with_value = latest_values.period_no
),

ratios as (
    select
        actuals_to_date.*,
        case
            when actual_ytd is null then null
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
    from actuals_to_date
),

progress_computed as (
    select
        fiscal_year,
        period_no,
        unit_code,
        kpi_code,
        policy_code,
        role,
        direction,
        aggregation,
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
    role,
    direction,
    aggregation,
    annual_target,
    period_value,
    actual_ytd,
    target_to_date,
    achievement_ratio,
    capped_ratio,
    status,
    has_data
from progress_computed
