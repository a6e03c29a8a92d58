-- grain: renames published stories the run merged or found an earlier copy of
-- (sql/stage/stories.sql); articles of untouched stories are not written
update main.articles as a
set story_id = m.new_story_id, is_canonical = (a.article_id = m.new_story_id)
from staging.story_moves as m
where a.story_id = m.old_story_id;
