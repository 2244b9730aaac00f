-- Tile: โครงการสำคัญ · Key projects
-- Shows: per period, every policy flagged a key project for its fiscal year, with its
--   dimension, lead (H) units, progress_pct and status.
-- Same figures as: the executive dashboard, section "โครงการสำคัญ".
-- Filter: period_key; table.
-- Source: bi.mart_policy_progress, bi.dim_policy, bi.dim_dimension, bi.rpt_policy_lead_units
--   (read as bma_bi_reader).
with lead_units as (
    -- the lead units of the plan in force at each period
    select fiscal_year, period_no, policy_code, lead_units_th
    from bi.rpt_policy_lead_units
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
    lead_units.lead_units_th,
    key_projects.progress_pct,
    key_projects.status
from key_projects
inner join bi.dim_policy as policy on policy.policy_code = key_projects.policy_code
left join bi.dim_dimension as dimension on dimension.dimension_code = key_projects.dimension_code
inner join lead_units
    on lead_units.policy_code = key_projects.policy_code
    and lead_units.fiscal_year = key_projects.fiscal_year
    and lead_units.period_no = key_projects.period_no
order by key_projects.fiscal_year, key_projects.period_no, key_projects.policy_code
