-- NaN in a batch's inputs.
-- expect: @: 'batch\.h5': dataset 'x' holds nan at \[3, 1, 0\]; inputs must be finite numbers
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.task("romo", { batch = 2 }):batch(1):save("batch.h5")
python[[
with h5py.File("batch.h5", "r+") as f:
    f["x"][3, 1, 0] = np.nan
]]
lab.load_batch("batch.h5") -- error here
