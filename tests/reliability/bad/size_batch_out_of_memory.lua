-- A task batch of 2^40 trials: the error names the task and its sizes.
-- expect: @: out of memory: a batch of task 'romo' \(batch=1099511627776\) is too large to hold \(check batch and the durations against dt\)
local task = lab.task("romo", { batch = 2^40 })
task:batch(1) -- error here
