-- grain: one row per candidate file whose exact content a published load already read
select c.input_uri
from candidate_files as c
semi join main.input_files as f on f.input_uri = c.input_uri and f.sha256 = c.sha256
