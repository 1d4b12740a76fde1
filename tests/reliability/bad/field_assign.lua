-- Fields are read-only.
-- expect: @: attempt to index a rnnlab\.Network value \(local 'net'\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net.hidden = 8 -- error here
