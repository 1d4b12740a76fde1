-- A network file loaded as a batch.
-- expect: @: 'net\.h5' is a network file, not a batch file
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("net.h5")
lab.load_batch("net.h5") -- error here
