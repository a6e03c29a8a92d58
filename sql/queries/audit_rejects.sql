-- grain: one row per reject staged by this run (audit input, row-wise expectations)
-- Only the columns expectations/rejects.json reads (flows/quality.py::needed_columns);
-- columns only checked for nulls arrive as presence flags (1.0, or null when missing).
with staged as (
    select * from staging.rejects
),

final as (
    select
        case when input_uri is not null then 1.0::double end as input_uri,
        reason_code,
        case when message is not null then 1.0::double end as message
    from staged
)

select * from final
