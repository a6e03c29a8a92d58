-- grain: one row per (staged article, band) whose bucket (band, band_hash) holds another
-- staged article too: the edges from which flows/core/stories.py::band_components finds the
-- run's groups of near-copies. Every other staged article shares no band within the run.
select article_id, band, band_hash
from staging.article_bands
qualify count(*) over (partition by band, band_hash) > 1
