-- truth stored as floats.
-- expect: @: 'batch\.h5': dataset 'truth' holds floating-point numbers, expected integers \(int64\)
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.task("romo", { batch = 2 }):batch(1):save("batch.h5")
python[[
with h5py.File("batch.h5", "r+") as f:
    del f["truth"]
    f["truth"] = np.array([0.0, 1.0])
]]
lab.load_batch("batch.h5") -- error here
