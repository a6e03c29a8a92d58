-- grain: writes the live file's committed state into the file itself (not its write-ahead
-- log), so a copy of the file is the whole warehouse
checkpoint news
