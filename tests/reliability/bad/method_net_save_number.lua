-- net:save(42) must not write a file named '42'.
-- expect: @: net:save\(path\): the path must be a string, got number
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save(42) -- error here
