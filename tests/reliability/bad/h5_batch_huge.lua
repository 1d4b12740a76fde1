-- A batch file declaring x of 2^62 values (chunked, nothing stored): say which size.
-- expect: @: 'batch\.h5': dataset 'x' has shape \(2147483648, 2147483648, 1\), too large to read into memory
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
lab.task("romo", { batch = 2 }):batch(1):save("batch.h5")
python[[
with h5py.File("batch.h5", "r+") as f:
    del f["x"]
    f.create_dataset("x", shape=(2**31, 2**31, 1), dtype="f8", chunks=(1, 1, 1))
]]
lab.load_batch("batch.h5") -- error here
