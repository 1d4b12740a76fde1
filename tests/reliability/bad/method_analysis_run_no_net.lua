-- analysis:run with the task where the network belongs.
-- expect: @: bad argument #1 to 'run' \(rnnlab\.Network expected, got rnnlab\.Task\)
local task = lab.task("romo", { batch = 2 })
lab.analysis("lyapunov", {}):run(task) -- error here
