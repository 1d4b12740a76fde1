-- A monitor's analysis parameters are checked before training.
-- expect: @: lab\.train: monitor\[1\]: unknown parameter 'exponent' for analysis 'lyapunov'; valid: .*
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { { "lyapunov", { exponent = 1 } } } } -- error here
