with source as (
    select * from {{ source('raw', 'submission_files') }}
),

renamed as (
    select
        cast(file_id as bigint) as file_id,
        cast(path as varchar) as path,
        cast(unit_folder as varchar) as unit_folder,
        cast(file_name as varchar) as file_name,
        cast(sha256 as varchar) as sha256,
        cast(bytes as bigint) as file_bytes,
        cast(received_at as timestamp) as received_at,
        cast(outcome as varchar) as outcome,
        cast(reason_code as varchar) as reason_code,
        cast(reason as varchar) as reason,
        cast(n_rows as integer) as n_rows,
        cast(ingested_at as timestamp) as ingested_at,
        cast(validated_at as timestamp) as validated_at
    from source
)

select * from renamed
