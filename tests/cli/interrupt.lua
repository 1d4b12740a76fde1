-- Saves a network, then trains "forever": Ctrl-C must stop it cleanly and
-- leave the saved file intact.
local out = lab.args.out
lab.mkdir(out)
local task = lab.task("romo", {})
local net = lab.network{ inputs = task.inputs, hidden = 32, outputs = task.outputs, dt = task.dt, seed = 1 }
net:save(out .. "/before.h5")
print("saved")
io.stdout:flush()
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 100000000 }
print("not reached")
