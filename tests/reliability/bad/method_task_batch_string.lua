-- task:batch with a string seed.
-- expect: @: bad argument #1 to 'batch' \(number expected, got string\)
local task = lab.task("romo", { batch = 2 })
task:batch("one") -- error here
