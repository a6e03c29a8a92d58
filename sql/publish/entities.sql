-- grain: one row per entity; new ones inserted, known ones gain aliases and widen their dates
merge into main.entities as e
using staging.entities as s
on e.entity_id = s.entity_id
when matched then update set
    aliases = list_sort(list_distinct(list_concat(e.aliases, s.aliases))),
    geonames_id = coalesce(e.geonames_id, s.geonames_id),
    country_code = coalesce(e.country_code, s.country_code),
    latitude = coalesce(e.latitude, s.latitude),
    longitude = coalesce(e.longitude, s.longitude),
    first_seen = least(e.first_seen, s.first_seen),
    last_seen = greatest(e.last_seen, s.last_seen)
when not matched then insert (
    entity_id, canonical_name, entity_type, aliases, geonames_id, country_code,
    latitude, longitude, first_seen, last_seen
) values (
    s.entity_id, s.canonical_name, s.entity_type, s.aliases, s.geonames_id, s.country_code,
    s.latitude, s.longitude, s.first_seen, s.last_seen
)
