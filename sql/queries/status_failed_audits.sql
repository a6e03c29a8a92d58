-- grain: one row per failed expectation of the most recent runs that failed their audit
select r.load_id, r.suite, r.expectation, r.column_name, r.unexpected_count
from audit_results as r
inner join loads as l using (load_id)
where not r.success
order by l.started_at desc, r.suite, r.expectation
limit 20
