-- Reads back the quickstart's outputs (--set dir=DIR).
local dir = assert(lab.args.dir, "pass --set dir=DIR")
local net = lab.load_network(dir .. "/network.h5")
local batch = lab.load_batch(dir .. "/batch.h5")
assert(batch.inputs == net.inputs and batch.outputs == net.outputs, "network and batch sizes agree")
print(net)
print(batch)
