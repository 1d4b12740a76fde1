-- stop_when takes above or below, nothing else.
-- expect: @: lab\.train: stop_when: unknown field 'abvoe'; valid: above, below
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "lyapunov" }, stop_when = { "lyapunov", "max", abvoe = 0 } } -- error here
