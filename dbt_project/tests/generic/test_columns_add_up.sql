{#- Rows where a count is not the sum of its parts, e.g. received = accepted + quarantined + pending. -#}
{% test columns_add_up(model, total, parts) %}
    select *
    from {{ model }}
    where {{ total }} <> {{ parts | join(' + ') }}
{% endtest %}
