-- grain: one row per entity staged by this run (audit input, row-wise expectations)
-- Only the columns expectations/entities.json reads (flows/quality.py::needed_columns);
-- columns only checked for nulls arrive as presence flags (1.0, or null when missing).
with staged as (
    select * from staging.entities
),

final as (
    select
        case when entity_id is not null then 1.0::double end as entity_id,
        case when canonical_name is not null then 1.0::double end as canonical_name,
        entity_type,
        latitude,
        longitude,
        country_code
    from staged
)

select * from final
