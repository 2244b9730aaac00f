{#-
  Table and column comments (persist_docs) in one statement per model, run without a result.

  Why: dbt's default writes them with two queries whose results become agate tables (type
  inference on every result, ~100 ms each here) and reads the table's columns back first: that
  was ~5–8 s of a ~20 s DuckDB build of this project (31 marts). A model under an enforced
  contract has exactly its YAML columns (the build fails otherwise), so the columns to comment
  are known without asking the warehouse. Models without a contract keep dbt's default.
  Statements and escaping are the adapters' own macros (`alter_relation_comment`,
  `<adapter>_escape_comment`).
-#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {{ bma_persist_docs(relation, model, for_relation, for_columns) }}
{%- endmacro %}

{% macro postgres__persist_docs(relation, model, for_relation, for_columns) -%}
  {{ bma_persist_docs(relation, model, for_relation, for_columns) }}
{%- endmacro %}

{% macro bma_persist_docs(relation, model, for_relation, for_columns) -%}
  {%- if not model.config.contract.enforced -%}
    {{ return(dbt.default__persist_docs(relation, model, for_relation, for_columns)) }}
  {%- endif -%}
  {%- set statements = [] -%}
  {%- if for_relation and config.persist_relation_docs() and model.description -%}
    {#- the adapter's own statement (it only renders SQL; it runs nothing) -#}
    {%- do statements.append(alter_relation_comment(relation, model.description) | trim) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() -%}
    {#- the adapter's alter_column_comment would read the columns back; the contract has them -#}
    {%- for name, column in model.columns.items() if column.description -%}
      {%- do statements.append(
        'comment on column ' ~ relation ~ '.' ~ (adapter.quote(name) if column.quote else name)
        ~ ' is ' ~ bma_escape_comment(column.description) ~ ';'
      ) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if statements -%}
    {#- The comments run after the model's post-hook, in its transaction: check the writer lock
        again after them, so a lock lost meanwhile rolls them back (macros/writer_lock.sql). -#}
    {%- set lock_check = assert_writer_lock_held() | trim -%}
    {%- if lock_check -%}
      {%- do statements.append(lock_check) -%}
    {%- endif -%}
    {%- call statement('persist_docs', fetch_result=False) -%}
      {{ statements | join('\n') }}
    {%- endcall -%}
  {%- endif -%}
{%- endmacro %}

{#- The adapter's own escaping of a comment (dollar quotes on both). -#}
{% macro bma_escape_comment(comment) -%}
  {%- if target.type == 'postgres' -%}
    {{- postgres_escape_comment(comment) -}}
  {%- else -%}
    {{- duckdb_escape_comment(comment) -}}
  {%- endif -%}
{%- endmacro %}
