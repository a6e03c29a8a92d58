-- grain: the small ledger tables (one row per run, expectation or migration) are copied whole:
-- runs that published nothing and timings recorded after a swap change them too
create or replace table snap.main.loads as from news.main.loads;
create or replace table snap.main.audit_results as from news.main.audit_results;
create or replace table snap.main.schema_version as from news.main.schema_version;
