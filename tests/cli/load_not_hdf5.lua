-- Loading a text file as a network.
lab.mkdir(lab.args.out)
local path = lab.args.out .. "/not_hdf5.h5"
local f = assert(io.open(path, "w"))
f:write("this is a text file, not HDF5\n")
f:close()
local net = lab.load_network(path)
print(net)
