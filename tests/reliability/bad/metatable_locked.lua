-- getmetatable(obj) gives the type name, not a table holding __gc.
-- expect: @: attempt to call a nil value \(field '__gc'\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local mt = getmetatable(net)
assert(mt == "rnnlab.Network")
mt.__gc(net) -- error here
