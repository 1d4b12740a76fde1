-- grad:save without a path.
-- expect: @: grad:save\(path\): the path must be a string, got nothing
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
local grad = lab.rule("bptt"):gradient(net, task:batch(1))
grad:save() -- error here
