-- grain: one row per mention of this load whose entity does not exist (expect none)
select m.mention_id, m.entity_id
from main.mentions as m
anti join main.entities as e using (entity_id)
where m.load_id = $load_id
