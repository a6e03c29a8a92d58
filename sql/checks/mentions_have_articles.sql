-- grain: one row per mention of this load whose article does not exist (expect none)
select m.mention_id, m.article_id
from main.mentions as m
anti join main.articles as a using (article_id)
where m.load_id = $load_id
