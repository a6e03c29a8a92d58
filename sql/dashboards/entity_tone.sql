-- grain: one row per day $entity_id was mentioned in [$start, $end]: the mean tone of the
-- sentences mentioning it and of the articles mentioning it
select day, n_mentions, avg_sentence_tone, avg_article_tone
from agg_entity_tone_daily
where entity_id = $entity_id and day between $start and $end
order by day
