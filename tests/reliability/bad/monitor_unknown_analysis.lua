-- A monitor names an analysis no plugin provides.
-- expect: @: lab\.train: monitor\[2\]: unknown analysis 'acuracy'; available: .*
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "lyapunov", { "acuracy", every = 2 } } } -- error here
