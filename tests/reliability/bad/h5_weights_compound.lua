-- W_h stored as compound records.
-- expect: @: 'net\.h5': dataset 'W_h' holds compound records, expected numbers \(float64\)
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
with h5py.File("net.h5", "r+") as f:
    del f["W_h"]
    f["W_h"] = np.zeros((4, 4), dtype=[("re", "f8"), ("im", "f8")])
]]
lab.load_network("net.h5") -- error here
