-- dt = 1e-20 ms against tau = 100 ms rounds α = 1 − dt/τ to 1, which no
-- network file may hold: refused in the words lab.load_network uses.
-- expect: @: network: alpha = 1 - dt/tau = 1 is out of range \[0, 1\) \(dt = 1e-20 ms is negligible against tau = 100 ms\)
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 1e-20 } -- error here
