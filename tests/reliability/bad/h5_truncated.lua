-- A network file cut in half (as by a full disk without atomic writes).
-- expect: @: cannot read network 'truncated\.h5': HDF5 could not open it \(corrupt\?\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("good.h5")
local f = assert(io.open("good.h5", "rb"))
local data = f:read("a")
f:close()
f = assert(io.open("truncated.h5", "wb"))
f:write(data:sub(1, #data // 2))
f:close()
lab.load_network("truncated.h5") -- error here
