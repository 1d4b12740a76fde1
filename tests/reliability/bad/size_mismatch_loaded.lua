-- A saved network loaded back and trained on a task of another size.
-- expect: @: network has 2 inputs and 2 outputs but the task has 1 and 2 \(use inputs = task\.inputs, outputs = task\.outputs\)
lab.network{ inputs = 2, hidden = 4, outputs = 2, dt = 50 }:save("net2.h5")
local net = lab.load_network("net2.h5")
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 1 } -- error here
