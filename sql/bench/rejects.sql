-- grain: one staged reject per 20 synthetic articles (benchmarks only), three reasons
insert into staging.rejects by name
select
    'load-' || ($first_day + ((t.i - $first_article) * $days) // $articles) as load_id,
    '/in/bad-' || t.i || '.txt' as input_uri,
    ['EMPTY_FILE', 'MISSING_BODY', 'MALFORMED_JSON'][1 + t.i % 3] as reason_code,
    'bad' as message,
    'raw text' as raw
from range($first_article, $first_article + $articles, 20) as t(i)
