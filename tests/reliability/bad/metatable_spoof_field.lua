-- A task posing as a network (debug.setmetatable): reading net.hidden
-- through the borrowed __index must not read the task's memory.
-- expect: @: bad argument #1 to 'index' \(rnnlab\.Network expected, got a userdata posing as one \(its metatable was replaced\)\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
debug.setmetatable(task, debug.getmetatable(net))
print(task.hidden) -- error here
