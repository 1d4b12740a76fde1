-- One monitor without the braces of the list.
-- expect: @: lab\.train: monitor must be a list of analyses, .*
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, monitor = { "accuracy", every = 2 } } -- error here
