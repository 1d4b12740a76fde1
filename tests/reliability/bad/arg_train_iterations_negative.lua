-- lab.train with a negative number of iterations.
-- expect: @: parameter 'iterations' of lab\.train = -1 is out of range \[0, inf\)
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = -1 } -- error here
