{#- No packages here (offline), so this replaces dbt_utils.unique_combination_of_columns. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns = combination_of_columns | join(', ') -%}
    with grouped as (
        select
            {{ columns }},
            count(*) as n_rows
        from {{ model }}
        group by {{ columns }}
    )

    select *
    from grouped
    where n_rows > 1
{% endtest %}
