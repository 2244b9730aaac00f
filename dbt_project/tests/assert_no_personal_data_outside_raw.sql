-- Personal data (the reporter's name and phone, and raw_cells which carries them) never leaves raw.
select
    table_schema,
    table_name,
    column_name
from information_schema.columns
where lower(table_schema) in ('staging', 'intermediate', 'marts')
    and lower(column_name) in ('reporter', 'raw_reporter', 'raw_cells')
