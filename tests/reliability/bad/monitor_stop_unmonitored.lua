-- stop_when reads a monitor, which must be listed.
-- expect: @: lab\.train: stop_when: 'lyapunov' is not monitored; add it to monitor, e\.g\. monitor = \{ \{ "lyapunov", every = 10 \} \}
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "accuracy" }, stop_when = { "lyapunov", "max", above = 0 } } -- error here
