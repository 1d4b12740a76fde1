-- An HDF5 file with W_h but nothing else (made with h5copy).
-- expect: @: 'partial\.h5': dataset 'W_x' is missing
-- requires: h5copy
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("net.h5")
assert(os.execute("h5copy -i net.h5 -o partial.h5 -s W_h -d W_h"))
lab.load_network("partial.h5") -- error here
