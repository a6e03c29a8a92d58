-- grain: one staged reject per 20 synthetic articles (benchmarks only), three reasons
insert into staging.rejects by name
with numbered as (
    select t.i, $first_day + ((t.i - $first_article) * $days) // $articles as day_no
    from range($first_article, $first_article + $articles, 20) as t(i)
)

select
    strftime(
        ($start::timestamptz at time zone 'UTC') + to_days(day_no::int) + interval 25 hour,
        '%Y%m%dT%H%M%S'
    ) || '-' || left(md5('load:' || day_no), 6) as load_id,
    '/in/bad-' || i || '.txt' as input_uri,
    ['EMPTY_FILE', 'MISSING_BODY', 'MALFORMED_JSON'][1 + i % 3] as reason_code,
    'bad' as message,
    'raw text' as raw
from numbered
