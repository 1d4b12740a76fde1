-- net.copy called on a number.
-- expect: @: bad argument #1 to 'copy' \(rnnlab\.Network expected, got number\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local c = net.copy(5) -- error here
