{#-
  The project settings (dbt vars) in one place, validated before any SQL uses them.
  Every model reads a setting through these macros, never through var() directly.
-#}

{% macro run_var(name, default=none) -%}
    {#- A setting of this run. The Dagster assets pass the per-run settings (as_of, deadline_days,
        period_key) as JSON in the environment variable BMA_DBT_RUN_VARS instead of --vars: dbt
        re-parses the whole project whenever --vars differ from the last parse (every run has a
        new as_of), while an environment variable read only when executing leaves the prepared
        manifest valid. Keys it lacks, and every run without it (dbt by hand, the golden tests),
        come from var(), so `--vars` works as documented. -#}
    {%- if execute -%}
        {%- set run_vars = fromjson(env_var('BMA_DBT_RUN_VARS', '{}')) -%}
        {%- if name in run_vars -%}
            {{- return(run_vars[name]) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(var(name, default)) -}}
{%- endmacro %}

{% macro as_of_wall_time() -%}
    {#- The run's "now" as Asia/Bangkok wall time text 'YYYY-MM-DD HH:MM:SS'. -#}
    {%- set bangkok = modules.pytz.timezone('Asia/Bangkok') -%}
    {%- set raw = run_var('as_of') -%}
    {%- if raw is none or (raw | string | trim) in ('', 'None', 'null') -%}
        {#- the run's start (UTC) in Bangkok wall time, the same for every model of the run -#}
        {{- return(run_started_at.astimezone(bangkok).strftime('%Y-%m-%d %H:%M:%S')) -}}
    {%- endif -%}
    {%- set text = raw | string | trim -%}
    {%- set pattern = '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$' -%}
    {%- if not modules.re.match(pattern, text) -%}
        {{- exceptions.raise_compiler_error(
            "var as_of = '" ~ text ~ "' is not a Bangkok wall time like '2023-04-20T09:00:00' "
            ~ "(or a date '2023-04-20'); pass --vars '{as_of: \"YYYY-MM-DDTHH:MM:SS\"}' or leave it null for now."
        ) -}}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.fromisoformat(text.replace('Z', '+00:00')) -%}
    {%- if parsed.tzinfo is not none -%}
        {%- set parsed = parsed.astimezone(bangkok) -%}
    {%- endif -%}
    {{- return(parsed.strftime('%Y-%m-%d %H:%M:%S')) -}}
{%- endmacro %}

{% macro as_of_timestamp() -%}
    cast('{{ as_of_wall_time() }}' as timestamp)
{%- endmacro %}

{% macro as_of_date() -%}
    cast('{{ as_of_wall_time()[:10] }}' as date)
{%- endmacro %}

{% macro setting(name) -%}
    {#- A numeric setting, checked against its valid range (see dbt_project.yml). -#}
    {%- set values = {
        'deadline_days': run_var('deadline_days'),
        'on_track_threshold': var('on_track_threshold', 1.0),
        'at_risk_threshold': var('at_risk_threshold', 0.8),
        'ratio_cap': var('ratio_cap', 1.2),
        'most_lagging_policies': var('most_lagging_policies', 15),
    } -%}
    {%- if name not in values -%}
        {{- exceptions.raise_compiler_error("unknown setting '" ~ name ~ "'") -}}
    {%- endif -%}
    {%- for key, value in values.items() -%}
        {%- if value is not number and not modules.re.match('^-?\d+(\.\d+)?$', value | string | trim) -%}
            {{- exceptions.raise_compiler_error("var " ~ key ~ " = '" ~ value ~ "' is not a number") -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set deadline_days = values['deadline_days'] | string | trim -%}
    {%- set on_track = values['on_track_threshold'] | float -%}
    {%- set at_risk = values['at_risk_threshold'] | float -%}
    {%- set cap = values['ratio_cap'] | float -%}
    {%- if not deadline_days.isdigit() -%}
        {{- exceptions.raise_compiler_error("var deadline_days = '" ~ deadline_days ~ "' must be a whole number of days ≥ 0") -}}
    {%- endif -%}
    {%- if not (0 <= at_risk <= on_track <= cap and on_track > 0) -%}
        {{- exceptions.raise_compiler_error(
            "vars must satisfy 0 ≤ at_risk_threshold ≤ on_track_threshold ≤ ratio_cap and on_track_threshold > 0; got "
            ~ "at_risk_threshold=" ~ at_risk ~ ", on_track_threshold=" ~ on_track ~ ", ratio_cap=" ~ cap
        ) -}}
    {%- endif -%}
    {%- set most_lagging = values['most_lagging_policies'] | string | trim -%}
    {%- if not most_lagging.isdigit() or most_lagging | int < 1 -%}
        {{- exceptions.raise_compiler_error("var most_lagging_policies = '" ~ most_lagging ~ "' must be a whole number of policies ≥ 1") -}}
    {%- endif -%}
    {%- if name == 'deadline_days' -%}
        {{- return(deadline_days | int) -}}
    {%- endif -%}
    {%- if name == 'most_lagging_policies' -%}
        {{- return(most_lagging | int) -}}
    {%- endif -%}
    {{- return(values[name] | float) -}}
{%- endmacro %}

{% macro capped_ratio(ratio) -%}
    {#- least() skips nulls on both adapters (least(null, 1.2) = 1.2), so spell the cap out. -#}
    case
        when {{ ratio }} is null then null
        when {{ ratio }} > cast({{ setting('ratio_cap') }} as double precision) then cast({{ setting('ratio_cap') }} as double precision)
        else {{ ratio }}
    end
{%- endmacro %}

{% macro status_from_ratio(ratio) -%}
    {#- Thresholds are compared with a 1e-9 tolerance so float noise in a mean (0.79999999…) never flips a status. -#}
    case
        when {{ ratio }} is null then 'no_data'
        when {{ ratio }} >= {{ setting('on_track_threshold') - 1e-9 }} then 'on_track'
        when {{ ratio }} >= {{ setting('at_risk_threshold') - 1e-9 }} then 'at_risk'
        else 'off_track'
    end
{%- endmacro %}

{% macro run_period() -%}
    {#- The run's period from var period_key ('2566-P2') as {'fiscal_year': 2566, 'period_no': 2}, or none (every period). -#}
    {%- set raw = run_var('period_key') -%}
    {%- if raw is none or (raw | string | trim) in ('', 'None', 'null') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set text = raw | string | trim -%}
    {%- set match = modules.re.match('^(\d{4})-P([1-6])$', text) -%}
    {%- if not match -%}
        {{- exceptions.raise_compiler_error(
            "var period_key = '" ~ text ~ "' is not a period key like '2566-P2' (BE fiscal year, period 1–6); "
            ~ "pass --vars '{period_key: \"2566-P2\"}' or leave it null for every period."
        ) -}}
    {%- endif -%}
    {{- return({'fiscal_year': match.group(1) | int, 'period_no': match.group(2) | int}) -}}
{%- endmacro %}

{% macro status_counts(status) -%}
    {#- Rows by status: how many on track, at risk, off track, without data. -#}
    sum(case when {{ status }} = 'on_track' then 1 else 0 end) as n_on_track,
        sum(case when {{ status }} = 'at_risk' then 1 else 0 end) as n_at_risk,
        sum(case when {{ status }} = 'off_track' then 1 else 0 end) as n_off_track,
        sum(case when {{ status }} = 'no_data' then 1 else 0 end) as n_no_data
{%- endmacro %}

{% macro pair_rollup(keys, where=none) -%}
    {#- The rollup of in-scope (unit, KPI) pairs per period and `keys` (docs/DOMAIN.md §4): each pair
        weighs the same, capped ratios only, means over pairs with data, H and R pairs also apart,
        pairs by status. One definition for policies and projects. -#}
with kpi_progress as (
    select
        fiscal_year,
        period_no,
        {% for key in keys %}{{ key }},
        {% endfor -%}
        role,
        capped_ratio,
        status,
        has_data
    from {{ ref('int_kpi_progress_computed') }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
),

pairs_rolled_up as (
    select
        fiscal_year,
        period_no,
        {% for key in keys %}{{ key }},
        {% endfor -%}
        count(*) as n_pairs,
        sum(case when has_data then 1 else 0 end) as n_pairs_with_data,
        {{ exact_mean('capped_ratio') }} as mean_capped_ratio,
        {{ exact_mean("case when role = 'H' then capped_ratio end") }} as h_mean_capped_ratio,
        {{ exact_mean("case when role = 'R' then capped_ratio end") }} as r_mean_capped_ratio,
        {{ status_counts('status') }}
    from kpi_progress
    group by fiscal_year, period_no{% for key in keys %}, {{ key }}{% endfor %}
)

select
    fiscal_year,
    period_no,
    {% for key in keys %}{{ key }},
    {% endfor -%}
    cast(n_pairs as integer) as n_pairs,
    cast(n_pairs_with_data as integer) as n_pairs_with_data,
    cast(mean_capped_ratio as double precision) as mean_capped_ratio,
    cast(h_mean_capped_ratio as double precision) as h_mean_capped_ratio,
    cast(r_mean_capped_ratio as double precision) as r_mean_capped_ratio,
    {{ status_from_ratio('mean_capped_ratio') }} as status,
    cast(n_on_track as integer) as n_on_track,
    cast(n_at_risk as integer) as n_at_risk,
    cast(n_off_track as integer) as n_off_track,
    cast(n_no_data as integer) as n_no_data
from pairs_rolled_up
{%- endmacro %}
