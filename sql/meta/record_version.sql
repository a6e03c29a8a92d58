-- grain: records one applied schema file
insert into schema_version (version, name) values ($version, $name)
