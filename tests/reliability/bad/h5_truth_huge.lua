-- truth = 2^40 used to become 0 (int64 cut to int) and be scored.
-- expect: @: 'batch\.h5': dataset 'truth' holds 1099511627776 for trial 0, not an output channel in \[0, 2\)
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.task("romo", { batch = 2 }):batch(1):save("batch.h5")
python[[
with h5py.File("batch.h5", "r+") as f:
    f["truth"][0] = 2**40
]]
lab.load_batch("batch.h5") -- error here
