-- A network file declaring 2^31 hidden units (chunked, nothing stored): say which size.
-- expect: @: 'net\.h5': out of memory: a network with hidden = 2147483648, inputs = 1, outputs = 2 has 4\.612e\+18 parameters \(36\.9 EB\)
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
N = 2**31
with h5py.File("net.h5", "r+") as f:
    for name, shape in (("W_h", (N, N)), ("W_x", (N, 1)), ("W_out", (2, N))):
        del f[name]
        f.create_dataset(name, shape=shape, dtype="f8", chunks=(1, 1))
]]
lab.load_network("net.h5") -- error here
