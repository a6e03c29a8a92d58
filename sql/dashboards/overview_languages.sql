-- grain: one row per article language for days in [$start, $end]
select
    coalesce(language, '(unknown)') as language,
    count(*) as n_articles
from article_days
where day between $start and $end
group by all
order by n_articles desc, language
