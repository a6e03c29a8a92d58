-- grain: one row per expectation or check evaluated for this load
insert into audit_results
select $load_id as load_id, suite, expectation, column_name, success, unexpected_count, details
from audit_rows
