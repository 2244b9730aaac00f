-- The target in force for every in-scope (unit, KPI, period): the plan in force at the period
-- (docs/DOMAIN.md §6) gives each policy's version, that version its KPIs and targets. A pair is in
-- scope for the periods in which the plan in force gives it a target: a KPI retired from P4 leaves
-- from P4, a unit added at P3 enters at P3. target_to_date follows §6: the period targets to date
-- (sum KPIs: their sum up to p; last KPIs: the latest period target ≤ p) where the plan gives them,
-- else §4's pro-rata rule (sum: annual × p / 6; last: the annual target).
with policy_in_force as (
    select
        fiscal_year,
        period_no,
        policy_code,
        plan_version_id
    from {{ ref('stg_plans__policy_in_force') }}
),

kpis as (
    select
        plan_version_id,
        kpi_code,
        policy_code,
        project_code,
        direction,
        aggregation,
        baseline_value
    from {{ ref('stg_plans__kpis') }}
),

targets as (
    select
        plan_version_id,
        kpi_code,
        unit_code,
        annual_target,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6
    from {{ ref('stg_plans__targets') }}
),

targets_of_periods as (
    select
        policy_in_force.fiscal_year,
        policy_in_force.period_no,
        targets.unit_code,
        targets.kpi_code,
        kpis.policy_code,
        kpis.project_code,
        policy_in_force.plan_version_id,
        kpis.direction,
        kpis.aggregation,
        kpis.baseline_value,
        targets.annual_target,
        targets.p1,
        targets.p2,
        targets.p3,
        targets.p4,
        targets.p5,
        targets.p6,
        (
            targets.p1 is not null or targets.p2 is not null or targets.p3 is not null
            or targets.p4 is not null or targets.p5 is not null or targets.p6 is not null
        ) as has_period_targets
    from policy_in_force
    inner join kpis
        on policy_in_force.plan_version_id = kpis.plan_version_id
        and policy_in_force.policy_code = kpis.policy_code
    inner join targets
        on kpis.plan_version_id = targets.plan_version_id
        and kpis.kpi_code = targets.kpi_code
),

period_targets_to_date as (
    select
        targets_of_periods.*,
        -- sum KPIs: the period targets up to p, blanks counting 0
        {%- set parts = [] %}
        {%- for n in range(1, 7) %}
        {%- do parts.append("case when period_no >= " ~ n ~ " then coalesce(p" ~ n ~ ", 0) else 0 end") %}
        {%- endfor %}
        {{ parts | join('\n            + ') }} as period_sum_to_date,
        -- last KPIs: the target of the latest period ≤ p that has one
        case
            {%- for n in range(6, 0, -1) %}
            when period_no >= {{ n }} and p{{ n }} is not null then p{{ n }}
            {%- endfor %}
        end as latest_period_target
    from targets_of_periods
),

targets_to_date as (
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
        case
            when aggregation = 'sum' and has_period_targets then period_sum_to_date
            when aggregation = 'sum'
                then annual_target * cast(period_no as double precision) / 6.0
            when aggregation = 'last' and latest_period_target is not null then latest_period_target
            when aggregation = 'last' then annual_target
        end as target_to_date,
        case
            when aggregation = 'sum' and has_period_targets then 'period_targets'
            when aggregation = 'sum' then 'pro_rata'
            when aggregation = 'last' and latest_period_target is not null then 'period_target'
            else 'annual'
        end as target_rule
    from period_targets_to_date
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(unit_code as varchar) as unit_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(policy_code as varchar) as policy_code,
    cast(project_code as varchar) as project_code,
    cast(plan_version_id as bigint) as plan_version_id,
    cast(direction as varchar) as direction,
    cast(aggregation as varchar) as aggregation,
    cast(baseline_value as double precision) as baseline_value,
    cast(annual_target as double precision) as annual_target,
    cast(target_to_date as double precision) as target_to_date,
    cast(target_rule as varchar) as target_rule
from targets_to_date
