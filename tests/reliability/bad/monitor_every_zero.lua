-- every must be a positive number of iterations.
-- expect: @: lab\.train: monitor\[1\]: every must be a positive integer \(iterations\), got 0
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { { "accuracy", every = 0 } } } -- error here
