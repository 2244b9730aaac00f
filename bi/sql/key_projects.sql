-- Tile: โครงการสำคัญ · Key projects
-- Shows: per period, every policy flagged a key project for its fiscal year, with its
--   dimension, lead (H) units, progress_pct and status.
-- Same figures as: the executive dashboard, section "โครงการสำคัญ".
-- Filter: period_key; table.
-- Source: bi.mart_policy_progress, bi.dim_policy, bi.dim_dimension, bi.dim_assignment,
--   bi.dim_unit (read as bma_bi_reader).
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

key_projects as (
    select
        progress.fiscal_year, progress.period_no, progress.period_key, progress.policy_code,
        progress.dimension_code, progress.progress_pct, progress.status
    from bi.mart_policy_progress as progress
    where progress.is_key_project
)

select
    key_projects.fiscal_year,
    key_projects.period_no,
    key_projects.period_key,
    key_projects.policy_code,
    policy.title_th,
    policy.title_en,
    dimension.name_th as dimension_th,
    coalesce(lead_units.lead_units_th, '–') as lead_units_th,
    key_projects.progress_pct,
    key_projects.status
from key_projects
inner join bi.dim_policy as policy on policy.policy_code = key_projects.policy_code
left join bi.dim_dimension as dimension on dimension.dimension_code = key_projects.dimension_code
left join lead_units on lead_units.policy_code = key_projects.policy_code
order by key_projects.fiscal_year, key_projects.period_no, key_projects.policy_code
