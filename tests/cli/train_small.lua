-- Three iterations with progress output left on (unless --quiet).
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
local r = lab.train{ net = net, task = task, rule = "bptt", optimizer = "sgd", iterations = 3 }
print(string.format("done %d", r.iterations))
