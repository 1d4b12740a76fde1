-- batch:save with a table.
-- expect: @: batch:save\(path\): the path must be a string, got table
local task = lab.task("romo", { batch = 2 })
task:batch(1):save({}) -- error here
