-- Tile: การส่งรายงานของ 50 สำนักงานเขต · The 50 district offices' submissions
-- Shows: per period, each of the 50 district offices with its submission status: on_time
--   (ส่งตรงเวลา), late (ส่งล่าช้า, with days_late), missing (ไม่ส่ง), pending (รอส่ง, not
--   yet due) or no_target (ไม่มีเป้าหมาย: no target this fiscal year, nothing to send),
--   its due date and when its first valid file arrived.
-- Same figures as: the executive dashboard, section "การส่งรายงานของ 50 สำนักงานเขต" (the
--   tiles, and the counts above them: count(*) by compliance_status).
-- Filter: period_key; table, or a pivot of count(*) by compliance_status.
-- Source: bi.mart_submission_compliance, bi.dim_unit (read as bma_bi_reader).
with districts as (
    select unit_code, name_th, name_en
    from bi.dim_unit
    where unit_type = 'district'
),

periods as (
    select distinct fiscal_year, period_no, period_key
    from bi.mart_submission_compliance
),

compliance as (
    select
        fiscal_year, period_no, unit_code, due_date, first_received_at, compliance_status,
        days_late
    from bi.mart_submission_compliance
)

select
    periods.fiscal_year,
    periods.period_no,
    periods.period_key,
    districts.unit_code,
    districts.name_th as district_th,
    districts.name_en as district_en,
    coalesce(compliance.compliance_status, 'no_target') as compliance_status,
    compliance.days_late,
    compliance.due_date,
    compliance.first_received_at
from periods
cross join districts
left join compliance
    on compliance.fiscal_year = periods.fiscal_year
    and compliance.period_no = periods.period_no
    and compliance.unit_code = districts.unit_code
order by periods.fiscal_year, periods.period_no, districts.unit_code
