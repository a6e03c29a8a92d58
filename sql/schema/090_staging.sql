-- grain: staging mirrors of the published tables; rebuilt by every run, kept after a failed audit
create table if not exists staging.articles as from main.articles limit 0;
create table if not exists staging.duplicates as from main.duplicates limit 0;
create table if not exists staging.input_files as from main.input_files limit 0;
create table if not exists staging.entities as from main.entities limit 0;
create table if not exists staging.mentions as from main.mentions limit 0;
create table if not exists staging.rejects as from main.rejects limit 0;
