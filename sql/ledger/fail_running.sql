-- grain: closes the running row of a run that stopped on an unexpected error
update loads
set status = 'failed', finished_at = $finished_at, message = $message
where status = 'running'
