-- grain: empties every staging table so a run starts from a clean slate
delete from staging.articles;
delete from staging.duplicates;
delete from staging.input_files;
delete from staging.entities;
delete from staging.mentions;
delete from staging.rejects;
delete from staging.article_bands;
delete from staging.story_moves;
