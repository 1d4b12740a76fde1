-- The task of the test plugin in tests/plugins/good (RNNLAB_PLUGIN_PATH).
local task = lab.task("constant", { value = 0.5 })
print(string.format("constant task: %d input, %d output, dt %g", task.inputs, task.outputs, task.dt))
local net = lab.network{ inputs = task.inputs, hidden = 4, outputs = task.outputs,
                         dt = task.dt, tau = 100, seed = 1 }
local r = lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 3 }
assert(#r.losses >= 1 and not r.diverged)
