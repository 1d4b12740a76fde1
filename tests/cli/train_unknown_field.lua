-- 'iteration' is a typo of 'iterations': lab.train lists its fields.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
lab.train{ net = net, task = task, rule = lab.rule("bptt"),
           optimizer = lab.optimizer("adam", {}), iteration = 10 }
