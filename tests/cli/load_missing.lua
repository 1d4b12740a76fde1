-- Loading a network file that does not exist.
lab.mkdir(lab.args.out)
local path = lab.args.out .. "/no_such_network.h5"
local net = lab.load_network(path)
print(net)
