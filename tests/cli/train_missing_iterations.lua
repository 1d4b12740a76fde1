-- lab.train needs 'iterations'.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
lab.train{ net = net, task = task, rule = lab.rule("bptt"),
           optimizer = lab.optimizer("adam", {}) }
