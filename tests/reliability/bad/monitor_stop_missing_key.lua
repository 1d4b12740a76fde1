-- stop_when on a number the analysis does not return.
-- expect: @: stop_when: analysis 'accuracy' returns no number 'acc'; its numbers: accuracy, trials, chance, majority
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "accuracy" }, stop_when = { "accuracy", "acc", above = 50 } } -- error here
