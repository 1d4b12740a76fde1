-- debug.setmetatable gives a batch the network's metatable: it must not be
-- read as a network (its memory is a Batch).
-- expect: @: bad argument #1 to 'save' \(rnnlab\.Network expected, got a userdata posing as one \(its metatable was replaced\)\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local batch = lab.task("romo", { batch = 2 }):batch(1)
debug.setmetatable(batch, debug.getmetatable(net))
assert(tostring(getmetatable(batch)) == "rnnlab.Network")
net.save(batch, "x.h5") -- error here
