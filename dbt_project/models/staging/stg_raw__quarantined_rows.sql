with source as (
    select * from {{ source('raw', 'quarantined_rows') }}
),

renamed as (
    select
        cast(file_id as bigint) as file_id,
        cast(row_number as integer) as row_number,
        cast(reason_codes as varchar) as reason_codes,
        cast(message_th as varchar) as message_th,
        cast(message_en as varchar) as message_en,
        cast(quarantined_at as timestamp) as quarantined_at,
        cast(superseded_at as timestamp) as superseded_at
    from source
)

select * from renamed
