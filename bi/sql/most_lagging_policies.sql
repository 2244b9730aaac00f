-- Tile: นโยบายที่ล่าช้าที่สุด · Most lagging policies
-- Shows: per period, the policies off track (ล่าช้ากว่าแผน) or at risk (เสี่ยง) with the lowest
--   progress (at most 15, dbt var most_lagging_policies), with their lead (H) units and the H and
--   R progress apart. The list is the report model rpt_most_lagging_policies: the dashboard and
--   the Superset chart show the same policies; nothing is ranked here.
-- Same figures as: the executive dashboard, section "นโยบายที่ล่าช้าที่สุด".
-- Filter: period_key; table ordered by lag_rank.
-- Source: bi.rpt_most_lagging_policies (read as bma_bi_reader).
with lagging as (
    select
        fiscal_year, period_no, period_key, lag_rank, policy_code, title_th, title_en,
        lead_units_th, progress_pct, h_progress_pct, r_progress_pct, status
    from bi.rpt_most_lagging_policies
)

select
    fiscal_year,
    period_no,
    period_key,
    lag_rank,
    policy_code,
    title_th,
    title_en,
    lead_units_th,
    progress_pct,
    h_progress_pct,
    r_progress_pct,
    status
from lagging
order by fiscal_year, period_no, lag_rank
