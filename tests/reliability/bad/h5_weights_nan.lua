-- A network file whose W_h holds a NaN (written with h5py).
-- expect: @: 'net\.h5': dataset 'W_h' holds nan at \[1, 2\]; weights must be finite numbers
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
with h5py.File("net.h5", "r+") as f:
    f["W_h"][1, 2] = np.nan
]]
lab.load_network("net.h5") -- error here
