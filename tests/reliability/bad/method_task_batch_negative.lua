-- task:batch with a negative seed.
-- expect: @: task:batch\(seed\): seed must be non-negative
local task = lab.task("romo", { batch = 2 })
task:batch(-1) -- error here
