-- Which units of a KPI need attention first, per period: the order the H units' meeting packs
-- list a KPI's units in (its annex, its lowest supporting units, its decision item). Off track
-- first, then at risk, then no data, then on track; within a status the lowest achievement
-- ratio first (ranked at 9 decimals, so float noise cannot reorder equal ratios), then lead (H)
-- units before supporting ones, then by unit code.
with pairs_ranked as (
    select
        fiscal_year,
        period_no,
        period_key,
        policy_code,
        kpi_code,
        unit_code,
        role,
        achievement_ratio,
        status,
        status <> 'on_track' as needs_attention,
        row_number() over (
            partition by fiscal_year, period_no, kpi_code
            order by
                case status
                    when 'off_track' then 0
                    when 'at_risk' then 1
                    when 'no_data' then 2
                    else 3
                end,
                cast(achievement_ratio as decimal(38, 9)) nulls last,
                case when role = 'H' then 0 else 1 end,
                unit_code
        ) as attention_rank
    from {{ ref('fct_kpi_progress') }}
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(policy_code as varchar) as policy_code,
    cast(kpi_code as varchar) as kpi_code,
    cast(unit_code as varchar) as unit_code,
    cast(role as varchar) as role,
    cast(achievement_ratio as double precision) as achievement_ratio,
    cast(status as varchar) as status,
    cast(needs_attention as boolean) as needs_attention,
    cast(attention_rank as integer) as attention_rank
from pairs_ranked
