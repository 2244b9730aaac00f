{#- A capped ratio never exceeds the ratio_cap setting (nor is it negative). -#}
{% test not_above_ratio_cap(model, column_name) %}
    select *
    from {{ model }}
    where {{ column_name }} > {{ setting('ratio_cap') }} + 1e-9
        or {{ column_name }} < 0
{% endtest %}
