{#-
  The select list of a staging model that only casts: every column of a source table, cast to the
  data_type the source YAML declares (generated from the column registry, bma_pipeline/columns.py),
  so a column is declared once. Used by the staging models of schemas `reference` and `plans`.
-#}
{% macro staged_columns(source_name, table_name, skip_raw_text=false) -%}
    {#- skip_raw_text: leave out the original cell texts (raw_*): staging keeps parsed values. -#}
    {%- if execute -%}
        {%- set matches = graph.sources.values() | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | list -%}
        {%- if matches | length != 1 -%}
            {{- exceptions.raise_compiler_error("no source " ~ source_name ~ "." ~ table_name) -}}
        {%- endif -%}
        {%- set names = [] -%}
        {%- for name in matches[0].columns if not (skip_raw_text and name.startswith('raw_')) -%}
            {%- do names.append(name) -%}
        {%- endfor -%}
        {%- for name in names %}
        cast({{ adapter.quote(name) }} as {{ matches[0].columns[name].data_type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor -%}
    {%- else -%}
        1 as parsing
    {%- endif -%}
{%- endmacro %}
