-- Tile: แนวโน้มความก้าวหน้ารายงวด · Progress trend over the fiscal year
-- Shows: progress_pct of the whole city and of each mission group for every period of the
--   fiscal year, one row per group × period (a line per group).
-- Same figures as: the executive dashboard, chart "แนวโน้มรายงวด" (trend).
-- Filter: fiscal_year (e.g. 2566) and period_no ≤ the period shown; chart: line of
--   progress_pct by period_key, series group_code.
-- Source: bi.mart_group_progress (read as bma_bi_reader).
with trend as (
    select fiscal_year, period_no, period_key, group_code, is_city, progress_pct, status
    from bi.mart_group_progress
)

select fiscal_year, period_no, period_key, group_code, is_city, progress_pct, status
from trend
order by fiscal_year, is_city, group_code, period_no
