-- Tile: สถานะนโยบายรายมิติ · Policies by status and dimension
-- Shows: per period and dimension (มิติ), how many policies are on track (ตามแผน), at risk
--   (เสี่ยง), off track (ล่าช้ากว่าแผน) and without data (ไม่มีข้อมูล), and the total.
--   Every dimension appears, with zeros when it has no policy in scope.
-- Same figures as: the executive dashboard, section "สถานะนโยบายรายมิติ" (chart and table).
-- Filter: period_key; chart: stacked bar of the four counts by dimension_th.
-- Source: bi.mart_policy_progress, bi.dim_dimension (read as bma_bi_reader).
with periods as (
    select distinct fiscal_year, period_no, period_key
    from bi.mart_policy_progress
),

dimensions as (
    select dimension_code, name_th, name_en
    from bi.dim_dimension
),

policy_status as (
    select period_key, dimension_code, status
    from bi.mart_policy_progress
),

counts as (
    select
        periods.fiscal_year,
        periods.period_no,
        periods.period_key,
        dimensions.dimension_code,
        dimensions.name_th as dimension_th,
        dimensions.name_en as dimension_en,
        count(*) filter (where policy_status.status = 'on_track') as n_on_track,
        count(*) filter (where policy_status.status = 'at_risk') as n_at_risk,
        count(*) filter (where policy_status.status = 'off_track') as n_off_track,
        count(*) filter (where policy_status.status = 'no_data') as n_no_data,
        count(policy_status.status) as n_policies
    from periods
    cross join dimensions
    left join policy_status
        on policy_status.period_key = periods.period_key
        and policy_status.dimension_code = dimensions.dimension_code
    group by
        periods.fiscal_year, periods.period_no, periods.period_key,
        dimensions.dimension_code, dimensions.name_th, dimensions.name_en
)

select
    fiscal_year, period_no, period_key, dimension_code, dimension_th, dimension_en,
    n_on_track, n_at_risk, n_off_track, n_no_data, n_policies
from counts
order by fiscal_year, period_no, dimension_code
