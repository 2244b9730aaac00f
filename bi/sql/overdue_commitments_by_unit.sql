-- Tile: หน่วยงานที่มีเรื่องที่รับไปดำเนินการเกินกำหนด · Units with overdue commitments
-- Shows: per period, each unit that owns commitments (เรื่องที่รับไปดำเนินการ) of the H–R meetings
--   that were overdue at the period's end — open past their due date (status_at_period_end =
--   'overdue', DOMAIN §7) — with how many, the most days overdue, and the lead (H) units whose
--   meetings made them; most overdue first (then most days, then unit code). The state at the
--   period's end, not as of today (status_now is the mart's column for that).
-- Same figures as: the executive dashboard, section "หน่วยงานที่มีเรื่องที่รับไปดำเนินการเกินกำหนด
--   มากที่สุด" (its first 10 rows), and the Superset chart of overdue commitments.
-- Filter: period_key; table or bar of n_overdue by unit_th.
-- Source: bi.mart_commitments, bi.dim_unit (read as bma_bi_reader).
with overdue as (
    select fiscal_year, period_no, period_key, owner_unit, h_unit_code, days_overdue_at_period_end
    from bi.mart_commitments
    where status_at_period_end = 'overdue'
),

units as (
    select unit_code, name_th
    from bi.dim_unit
)

select
    overdue.fiscal_year,
    overdue.period_no,
    overdue.period_key,
    overdue.owner_unit as unit_code,
    units.name_th as unit_th,
    count(*) as n_overdue,
    max(overdue.days_overdue_at_period_end) as max_days_overdue,
    string_agg(distinct overdue.h_unit_code, ', ' order by overdue.h_unit_code) as h_unit_codes
from overdue
left join units on units.unit_code = overdue.owner_unit
group by overdue.fiscal_year, overdue.period_no, overdue.period_key, overdue.owner_unit,
    units.name_th
order by overdue.fiscal_year, overdue.period_no, n_overdue desc, max_days_overdue desc,
    overdue.owner_unit
