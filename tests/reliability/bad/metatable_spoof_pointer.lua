-- A light userdata (a raw pointer, from debug.upvalueid) given the
-- network's metatable must not be read as a network.
-- expect: @: bad argument #1 to 'gradient' \(rnnlab\.Network expected, got a userdata posing as one \(its metatable was replaced\)\)
-- (A method call counts its arguments after self: the network is #1.)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local batch = lab.task("romo", { batch = 2 }):batch(1)
local upvalue = 1
local function f() return upvalue end
local pointer = debug.upvalueid(f, 1)
debug.setmetatable(pointer, debug.getmetatable(net))
lab.rule("bptt"):gradient(pointer, batch) -- error here
