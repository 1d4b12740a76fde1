-- A string where alpha's number should be.
-- expect: @: 'net\.h5': attribute 'alpha' holds strings, expected a number
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }:save("net.h5")
python[[
with h5py.File("net.h5", "r+") as f:
    f.attrs["alpha"] = "0.5"
]]
lab.load_network("net.h5") -- error here
