-- The HDF5 signature is intact but the superblock after it is garbage.
-- expect: @: cannot read network 'corrupt\.h5': HDF5 could not open it \(corrupt\?\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("good.h5")
local f = assert(io.open("good.h5", "rb"))
local data = f:read("a")
f:close()
f = assert(io.open("corrupt.h5", "wb"))
f:write(data:sub(1, 8) .. string.rep("\255", 512) .. data:sub(521))
f:close()
lab.load_network("corrupt.h5") -- error here
