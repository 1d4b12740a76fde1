-- A (0, 0) network: W_h of shape (0, 0), no inputs, no outputs.
-- expect: @: 'empty\.h5': dataset 'W_h' has a zero-length axis 0; a network needs at least one hidden unit
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
with h5py.File("net.h5", "r") as src, h5py.File("empty.h5", "w") as f:
    for k, v in src.attrs.items():
        f.attrs[k] = v
    f["W_h"] = np.zeros((0, 0))
    f["W_x"] = np.zeros((0, 0))
    f["W_out"] = np.zeros((0, 0))
]]
lab.load_network("empty.h5") -- error here
