-- grain: one row per entity_id or mention_id touched by this load stored more than once (expect none)
select 'entity_id' as key_name, entity_id as key_value, count(*) as n
from main.entities
where entity_id in (select entity_id from staging.entities)
group by entity_id
having count(*) > 1
union all
select 'mention_id', mention_id, count(*)
from main.mentions
where load_id = $load_id
group by mention_id
having count(*) > 1
