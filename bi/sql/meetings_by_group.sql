-- Tile: การประชุมหน่วยงานหลักกับหน่วยงานสนับสนุน รายกลุ่มภารกิจ · H–R meetings per mission group
-- Shows: per period, how many lead (H) units' meetings with their supporting (R) units were held
--   by the submission deadline (ประชุมตามกำหนด), late (ประชุมล่าช้า), missing (ไม่มีรายงานการประชุม)
--   or not due yet (ยังไม่ถึงกำหนด), per mission group and for the whole city (group_code CITY),
--   with the mean attendance of the supporting units. From bi.mart_meetings through the report
--   model rpt_meetings_by_group: an H unit counts in the group of every policy it leads in the
--   period, so the groups may add up to more than the city row (each H unit once).
-- Same figures as: the executive dashboard, section "การประชุมหน่วยงานรับผิดชอบหลักกับหน่วยงาน
--   สนับสนุน" (its table per group), and the Superset chart of meetings per group.
-- Filter: period_key; stacked bar of n_held, n_late, n_missing, n_pending by group_th.
-- Source: bi.rpt_meetings_by_group, bi.dim_group (read as bma_bi_reader).
with meetings as (
    select
        fiscal_year, period_no, period_key, group_code, is_city, n_lead_units, n_held, n_late,
        n_missing, n_pending, mean_attendance_share
    from bi.rpt_meetings_by_group
),

groups as (
    select group_code, name_th
    from bi.dim_group
)

select
    meetings.fiscal_year,
    meetings.period_no,
    meetings.period_key,
    meetings.group_code,
    coalesce(groups.name_th, 'ภาพรวมกรุงเทพมหานคร') as group_th,
    meetings.is_city,
    meetings.n_lead_units,
    meetings.n_held,
    meetings.n_late,
    meetings.n_missing,
    meetings.n_pending,
    meetings.mean_attendance_share
from meetings
left join groups on groups.group_code = meetings.group_code
order by meetings.fiscal_year, meetings.period_no, meetings.is_city, meetings.group_code
