-- grain: removes every row the replaced loads wrote, so the interval is loaded as if for the
-- first time; other intervals' rows are not touched (the ledger and audit history stay)
delete from main.mentions
where article_id in (
    select a.article_id
    from main.articles as a
    semi join replaced_loads as r using (load_id)
);

delete from main.articles where load_id in (select load_id from replaced_loads);
delete from main.duplicates where load_id in (select load_id from replaced_loads);
delete from main.rejects where load_id in (select load_id from replaced_loads);
delete from main.input_files where load_id in (select load_id from replaced_loads);

update main.loads
set status = 'replaced'
where load_id in (select load_id from replaced_loads) and status = 'published';
