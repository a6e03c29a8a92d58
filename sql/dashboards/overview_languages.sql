-- grain: one row per article language for days in [$start, $end]
-- (source_days, the per-load article counts)
select
    coalesce(language, '(unknown)') as language,
    sum(n_articles)::bigint as n_articles
from source_days
where day between $start and $end
group by all
order by n_articles desc, language
