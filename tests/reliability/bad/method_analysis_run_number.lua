-- analysis:run with a number for the task.
-- expect: @: analysis:run\(net, task_or_batch\): argument 3 must be an rnnlab\.Task or rnnlab\.Batch, got number
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
lab.analysis("lyapunov", {}):run(net, 5) -- error here
