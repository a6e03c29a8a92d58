-- grain: marks runs left 'running' by a killed process; only called while holding the writer lock
update loads
set status = 'interrupted', message = 'the process stopped before finishing; its staged data was discarded'
where status = 'running'
