-- rule:gradient given a task where a batch belongs.
-- expect: @: rule:gradient\(net, batch\): argument 3 must be an rnnlab\.Batch, got rnnlab\.Task
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.rule("bptt"):gradient(net, task) -- error here
