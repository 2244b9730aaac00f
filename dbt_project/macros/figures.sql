{% macro exact_mean(expression) -%}
    {#- The mean of a float expression, identical to the last bit whatever order its rows are added in.
        avg() over double precision is not: DuckDB (and PostgreSQL's parallel aggregation) add partial
        sums in the order threads finish, so two builds of the same input differed by ~1e-13 and the
        published marts were not the same bytes. Each value is taken at 12 decimal places
        (decimal(38, 12)), the sum is exact, and its mean is returned as double precision. Means here
        are of ratios (≤ ratio_cap), so 12 places keep every published figure (docs/DOMAIN.md §4.6). -#}
    cast(avg(cast({{ expression }} as decimal(38, 12))) as double precision)
{%- endmacro %}
