{{ config(meta={'dagster': {'ref': {'name': 'stg_plans__policies'}}}) }}
-- Within one plan version, a policy, KPI, project, assignment or target appears once (the plan
-- contract quarantines duplicates before they reach a version).
with keyed as (
    select 'policy' as what, plan_version_id, policy_code as item
    from {{ ref('stg_plans__policies') }}
    union all
    select 'kpi', plan_version_id, kpi_code from {{ ref('stg_plans__kpis') }}
    union all
    select 'project', plan_version_id, project_code from {{ ref('stg_plans__projects') }}
    union all
    select 'assignment', plan_version_id, policy_code || '/' || unit_code
    from {{ ref('stg_plans__assignments') }}
    union all
    select 'target', plan_version_id, kpi_code || '/' || unit_code
    from {{ ref('stg_plans__targets') }}
)

select
    what,
    plan_version_id,
    item,
    count(*) as n_rows
from keyed
group by what, plan_version_id, item
having count(*) > 1
