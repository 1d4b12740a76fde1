-- A network file whose W_out holds -Inf.
-- expect: @: 'net\.h5': dataset 'W_out' holds -inf at \[1, 3\]; weights must be finite numbers
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
with h5py.File("net.h5", "r+") as f:
    f["W_out"][1, 3] = -np.inf
]]
lab.load_network("net.h5") -- error here
