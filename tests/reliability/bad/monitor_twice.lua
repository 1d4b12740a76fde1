-- The same analysis monitored twice.
-- expect: @: lab\.train: monitor\[2\]: 'accuracy' is monitored twice
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "accuracy", { "accuracy", every = 2 } } } -- error here
