-- Loading a batch file as a network: the error says what the file is.
lab.mkdir(lab.args.out)
local path = lab.args.out .. "/a_batch.h5"
lab.task("romo", { batch = 2 }):batch(1):save(path)
local net = lab.load_network(path)
print(net)
