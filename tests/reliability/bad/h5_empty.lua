-- An empty file.
-- expect: @: cannot read batch 'empty\.h5': not an HDF5 file \(or truncated/corrupt\)
assert(io.open("empty.h5", "wb")):close()
lab.load_batch("empty.h5") -- error here
