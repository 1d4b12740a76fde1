-- stop_when on a list, not a number (non-scalar result).
-- expect: @: stop_when: 'spectrum' of analysis 'lyapunov' is not a number \(a list or text\)
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "lyapunov" }, stop_when = { "lyapunov", "spectrum", above = 0 } } -- error here
