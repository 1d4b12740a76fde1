-- net.hiden is a typo of net.hidden: an error, not nil.
local net = lab.network{ inputs = 2, hidden = 8, outputs = 2, dt = 10, tau = 100, seed = 1 }
local n = net.hiden
print(n)
