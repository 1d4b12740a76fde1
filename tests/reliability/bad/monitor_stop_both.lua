-- stop_when takes one bound.
-- expect: @: lab\.train: stop_when: give one of above = x or below = x
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "lyapunov" }, stop_when = { "lyapunov", "max", above = 0, below = 1 } } -- error here
