-- A misspelt field of a monitor.
-- expect: @: lab\.train: monitor\[1\]: unknown field 'evry'; valid: every \(after the name and the parameters\)
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { { "accuracy", evry = 2 } } } -- error here
