-- A gradient file loaded as a network.
-- expect: @: 'grad\.h5' is a gradient file, not a network file
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.rule("bptt"):gradient(net, task:batch(1)):save("grad.h5")
lab.load_network("grad.h5") -- error here
