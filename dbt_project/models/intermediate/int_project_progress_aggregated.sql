-- Project (โครงการ/กิจกรรม) × period rollup of the in-scope pairs of its KPIs, by the same rules as a
-- policy (macro pair_rollup); a KPI with no project rolls up to its policy only.
{{ pair_rollup(['project_code', 'policy_code'], where='project_code is not null') }}
