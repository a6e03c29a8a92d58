-- grain: one row per mention of this load whose offsets do not reproduce its surface (expect none)
with loaded as (
    select m.*, case when m.in_title then a.title else a.body end as text
    from main.mentions as m
    inner join main.articles as a using (article_id)
    where m.load_id = $load_id
)

select mention_id, surface, start_char, end_char
from loaded
where start_char < 0
    or end_char <= start_char
    or end_char > length(text)
    or substring(text, start_char + 1, end_char - start_char) <> surface
