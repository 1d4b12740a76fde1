-- Train a Romo network with the out-of-tree rule "myrule".
local task = lab.task("romo", {})
local net = lab.network{ inputs = task.inputs, hidden = 32, outputs = task.outputs,
                         dt = task.dt, gain = 1.0, seed = 3 }
local before = net:copy()
local rule = lab.rule("myrule", { scale = 1.0 })
local r = lab.train{ net = net, task = task, rule = rule,
                     optimizer = lab.optimizer("adam", { lr = 1e-2 }), iterations = 100 }
print(string.format("myrule: loss %.4f -> %.4f", r.losses[1].loss, r.final_loss))
assert(r.final_loss < r.losses[1].loss, "the readout-only rule should lower the loss")
