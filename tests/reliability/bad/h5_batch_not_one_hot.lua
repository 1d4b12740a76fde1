-- Cross-entropy targets that are not one-hot where the mask counts.
-- expect: @: 'batch\.h5': dataset 'y' at \[1, 1, :\] is not one-hot; loss 'cross_entropy' needs a single 1 \(and zeros\) wherever mask > 0
-- requires: h5py
local python = require("h5py_edit")  -- tests/reliability/lib
python[[
y = np.zeros((3, 2, 2))
y[:, :, 0] = 1.0
y[1, 1] = [0.5, 0.5]   # a distribution, not a class
mask = np.ones((3, 2))
mask[0, 1] = 0.0
y[0, 1] = [0.0, 0.0]   # not scored: anything goes
with h5py.File("batch.h5", "w") as f:
    f["x"] = np.zeros((3, 2, 1))
    f["y"] = y
    f["mask"] = mask
    f.attrs["loss"] = "cross_entropy"
]]
lab.load_batch("batch.h5") -- error here
