-- The network has the wrong number of outputs for the batch; rule:gradient
-- (line 7) says which size is wrong.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs + 2,
                         dt = task.dt, tau = 100, seed = 1 }
local batch = task:batch(1)
local grad = lab.rule("bptt"):gradient(net, batch)
print(grad)
