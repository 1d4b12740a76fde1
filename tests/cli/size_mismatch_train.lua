-- The network has one input too many for the task; lab.train (line 8)
-- says which size is wrong and how to fix it.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs + 1, hidden = 8, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
local rule = lab.rule("bptt")
local opt = lab.optimizer("adam", {})
lab.train{ net = net, task = task, rule = rule, optimizer = opt, iterations = 1 }
