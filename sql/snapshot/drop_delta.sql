-- grain: removes the run's staged rows from the snapshot once they are applied
drop schema snap.staging cascade
