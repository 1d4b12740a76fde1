-- net.save called on a task.
-- expect: @: bad argument #1 to 'save' \(rnnlab\.Network expected, got rnnlab\.Task\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
net.save(task, "x.h5") -- error here
