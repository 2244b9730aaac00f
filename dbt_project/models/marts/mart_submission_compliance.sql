with compliance as (
    select
        fiscal_year,
        period_no,
        unit_code,
        due_date,
        first_received_at,
        compliance_status,
        days_late,
        n_files,
        n_rows_received,
        n_rows_accepted,
        n_rows_quarantined
    from {{ ref('int_submission_compliance') }}
),

periods as (
    select
        fiscal_year,
        period_no,
        period_key
    from {{ ref('stg_plans__periods') }}
),

units as (
    select
        unit_code,
        unit_type
    from {{ ref('stg_reference__units') }}
),

compliance_described as (
    select
        compliance.fiscal_year,
        compliance.period_no,
        periods.period_key,
        compliance.unit_code,
        units.unit_type,
        compliance.due_date,
        compliance.first_received_at,
        compliance.compliance_status,
        compliance.days_late,
        compliance.n_files,
        compliance.n_rows_received,
        compliance.n_rows_accepted,
        compliance.n_rows_quarantined
    from compliance
    inner join periods
        on compliance.fiscal_year = periods.fiscal_year
        and compliance.period_no = periods.period_no
    left join units
        on compliance.unit_code = units.unit_code
)

select
    cast(fiscal_year as integer) as fiscal_year,
    cast(period_no as integer) as period_no,
    cast(period_key as varchar) as period_key,
    cast(unit_code as varchar) as unit_code,
    cast(unit_type as varchar) as unit_type,
    cast(due_date as date) as due_date,
    cast(first_received_at as timestamp) as first_received_at,
    cast(compliance_status as varchar) as compliance_status,
    cast(days_late as integer) as days_late,
    cast(n_files as integer) as n_files,
    cast(n_rows_received as integer) as n_rows_received,
    cast(n_rows_accepted as integer) as n_rows_accepted,
    cast(n_rows_quarantined as integer) as n_rows_quarantined
from compliance_described
