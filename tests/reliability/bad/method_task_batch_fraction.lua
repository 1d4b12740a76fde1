-- task:batch with a fractional seed.
-- expect: @: bad argument #1 to 'batch' \(number has no integer representation\)
local task = lab.task("romo", { batch = 2 })
task:batch(1.5) -- error here
