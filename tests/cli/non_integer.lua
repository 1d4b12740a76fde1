-- hidden is an integer parameter of lab.network.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 1.5, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
print(net)
