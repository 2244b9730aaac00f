{#-
  The status column agrees with a ratio and the threshold settings:
  no_data ⇔ ratio null; on_track ⇔ ratio ≥ on_track_threshold; at_risk ⇔ at_risk_threshold ≤ ratio
  < on_track_threshold; off_track ⇔ below. `scale` divides the column first (100 for a percentage).
  A tolerance of 1e-6 on each boundary keeps float noise from failing the test.
-#}
{% test status_matches_ratio(model, column_name, ratio_column, scale=1) %}
    {%- set ratio = '(' ~ ratio_column ~ ' / ' ~ scale ~ ')' -%}
    {%- set on_track = setting('on_track_threshold') -%}
    {%- set at_risk = setting('at_risk_threshold') -%}
    select *
    from {{ model }}
    where not (
        ({{ column_name }} = 'no_data' and {{ ratio_column }} is null)
        or ({{ column_name }} = 'on_track' and {{ ratio }} >= {{ on_track }} - 1e-6)
        or ({{ column_name }} = 'at_risk' and {{ ratio }} >= {{ at_risk }} - 1e-6 and {{ ratio }} < {{ on_track }} + 1e-6)
        or ({{ column_name }} = 'off_track' and {{ ratio }} < {{ at_risk }} + 1e-6)
    )
    or {{ column_name }} is null
{% endtest %}
