-- Saving into a directory that does not exist: the error names the file
-- the user asked for (not an internal temporary name) and the directory.
local net = lab.network{ inputs = 1, hidden = 4, outputs = 1, dt = 10, tau = 100, seed = 1 }
net:save(lab.args.out .. "/no_such_dir/net.h5")
