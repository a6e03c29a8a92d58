-- grain: one row per table whose rows of this load differ from the ledger's count (expect none)
with ledger as (
    select n_loaded, n_mentions from loads where load_id = $load_id
),

actual as (
    select
        (select count(*) from main.articles where load_id = $load_id) as n_loaded,
        (select count(*) from main.mentions where load_id = $load_id) as n_mentions
)

select 'articles' as table_name, l.n_loaded as expected, a.n_loaded as actual
from ledger as l, actual as a
where l.n_loaded is distinct from a.n_loaded
union all
select 'mentions', l.n_mentions, a.n_mentions
from ledger as l, actual as a
where l.n_mentions is distinct from a.n_mentions
