-- Tile: ความก้าวหน้าภาพรวมและรายกลุ่มภารกิจ · City and mission-group progress
-- Shows: per period, the whole city (group_code CITY) and the mission groups G1–G3:
--   progress_pct (100 × mean capped achievement ratio over policies with data), status,
--   policies in scope, with data, and per status.
-- Same figures as: the executive dashboard, section "ความก้าวหน้าภาพรวม" (cards and bar chart).
-- Filter: period_key (e.g. 2566-P3); chart: bar of progress_pct by group_th.
-- Source: bi.mart_group_progress, bi.dim_group (read as bma_bi_reader).
with groups as (
    select group_code, name_th, name_en
    from bi.dim_group
),

progress as (
    select
        fiscal_year, period_no, period_key, group_code, is_city, n_policies,
        n_policies_with_data, progress_pct, status, n_on_track, n_at_risk, n_off_track, n_no_data
    from bi.mart_group_progress
)

select
    progress.fiscal_year,
    progress.period_no,
    progress.period_key,
    progress.group_code,
    case when progress.is_city then 'ภาพรวมกรุงเทพมหานคร' else groups.name_th end as group_th,
    case when progress.is_city then 'Whole city' else groups.name_en end as group_en,
    progress.is_city,
    progress.progress_pct,
    progress.status,
    progress.n_policies,
    progress.n_policies_with_data,
    progress.n_on_track,
    progress.n_at_risk,
    progress.n_off_track,
    progress.n_no_data
from progress
left join groups on groups.group_code = progress.group_code
order by progress.fiscal_year, progress.period_no, progress.is_city, progress.group_code
