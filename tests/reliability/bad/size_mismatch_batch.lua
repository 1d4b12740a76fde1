-- lab.train on a recorded batch with more inputs than the network.
-- expect: @: network has 1 inputs and 3 outputs but the task has 3 and 3 \(use inputs = task\.inputs, outputs = task\.outputs\)
local batch = lab.task("delay_match_sample", { batch = 2 }):batch(1)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 3, dt = 100 }
lab.train{ net = net, task = batch, rule = "bptt", optimizer = "adam", iterations = 1 } -- error here
