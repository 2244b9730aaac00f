{#-
  The run's writer lock, checked by every model in its own transaction (pre-hook and post-hook in
  dbt_project.yml). On PostgreSQL the Dagster step holds a session advisory lock on a side
  connection while dbt writes; that session can end (a terminated backend, a restart). Each model
  checks, before it writes and again just before it commits, that the session named in the run
  var `writer_lock` ({key, pid, backend_start}: bma_pipeline.warehouse.WriterLockHolder) still
  holds the lock, and fails otherwise, so its transaction rolls back instead of committing
  unlocked. The step's watchdog stops dbt at the same moment.
-#}

{% macro assert_writer_lock_held() -%}
    {{- adapter.dispatch('assert_writer_lock_held', 'bma')() -}}
{%- endmacro %}

{% macro default__assert_writer_lock_held() -%}
    {#- DuckDB: the lock is an flock on <file>.lock held by the step's process, which cannot lose it. -#}
{%- endmacro %}

{% macro postgres__assert_writer_lock_held() -%}
    {#- No holder (dbt by hand, the golden tests): nothing to check. -#}
    {%- set holder = run_var('writer_lock') -%}
    {%- if holder -%}
        {%- set key = holder['key'] | string -%}
        {%- set pid = holder['pid'] | string -%}
        {%- set started = holder['backend_start'] | string -%}
        {%- if not (key.isdigit() and pid.isdigit()
                    and modules.re.match('^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$', started)) -%}
            {{- exceptions.raise_compiler_error("run var writer_lock = " ~ holder ~ " is not {key, pid, backend_start}") -}}
        {%- endif -%}
        do $$
        begin
            if not exists (
                select 1
                from pg_locks as held
                inner join pg_stat_activity as activity on activity.pid = held.pid
                where held.locktype = 'advisory'
                    and held.granted
                    and held.objsubid = 1
                    and (held.classid::bigint << 32) | held.objid::bigint = {{ key }}
                    and held.pid = {{ pid }}
                    and to_char(activity.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') = '{{ started }}'
            ) then
                raise exception 'writer lock lost: the session holding it (backend pid {{ pid }}) has ended; {{ this.identifier }} is not written without it';
            end if;
        end
        $$
    {%- endif -%}
{%- endmacro %}
