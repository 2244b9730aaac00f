-- Tile: นโยบายที่ล่าช้าที่สุด · Most lagging policies
-- Shows: per period, the 15 policies off track (ล่าช้ากว่าแผน) or at risk (เสี่ยง) with the
--   lowest progress, with their lead (H) units and the H and R progress apart.
-- Same figures as: the executive dashboard, section "นโยบายที่ล่าช้าที่สุด".
-- Filter: period_key; table ordered by lag_rank. Change 15 below for a longer list.
-- Source: bi.mart_policy_progress, bi.dim_policy, bi.dim_assignment, bi.dim_unit
--   (read as bma_bi_reader).
with lead_units as (
    select
        assignment.policy_code,
        string_agg(coalesce(unit.name_th, assignment.unit_code), ', ' order by assignment.unit_code)
            as lead_units_th
    from bi.dim_assignment as assignment
    inner join bi.dim_unit as unit on unit.unit_code = assignment.unit_code
    where assignment.role = 'H'
    group by assignment.policy_code
),

lagging as (
    select
        fiscal_year, period_no, period_key, policy_code, progress_pct, h_progress_pct,
        r_progress_pct, status,
        row_number() over (
            partition by period_key order by progress_pct, policy_code
        ) as lag_rank
    from bi.mart_policy_progress
    where status in ('off_track', 'at_risk')
)

select
    lagging.fiscal_year,
    lagging.period_no,
    lagging.period_key,
    lagging.lag_rank,
    lagging.policy_code,
    policy.title_th,
    policy.title_en,
    coalesce(lead_units.lead_units_th, '–') as lead_units_th,
    lagging.progress_pct,
    lagging.h_progress_pct,
    lagging.r_progress_pct,
    lagging.status
from lagging
inner join bi.dim_policy as policy on policy.policy_code = lagging.policy_code
left join lead_units on lead_units.policy_code = lagging.policy_code
where lagging.lag_rank <= 15
order by lagging.fiscal_year, lagging.period_no, lagging.lag_rank
