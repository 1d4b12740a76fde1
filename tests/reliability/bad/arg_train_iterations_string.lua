-- lab.train with iterations as a string.
-- expect: @: parameter 'iterations' of lab\.train must be an integer, got string '10'
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = "10" } -- error here
