-- A negative dt in a batch file.
-- expect: @: 'batch\.h5': attribute 'dt' = -5 is out of range \[0, inf\)
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.task("romo", { batch = 2 }):batch(1):save("batch.h5")
python[[
with h5py.File("batch.h5", "r+") as f:
    f.attrs["dt"] = -5.0
]]
lab.load_batch("batch.h5") -- error here
