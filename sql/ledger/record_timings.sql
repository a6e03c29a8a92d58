-- grain: updates one run's stage timings once the publish (measured last) has finished
update loads set timings = $timings where load_id = $load_id
