-- lab.plot.trial with a string for the network.
-- expect: @: bad argument #2 to 'trial' \(rnnlab\.Network expected, got string\)
local task = lab.task("romo", { batch = 2 })
lab.plot.trial(task, "net.h5", { out = "trial" }) -- error here
