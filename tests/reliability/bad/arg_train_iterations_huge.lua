-- lab.train with 1e300 iterations (would be undefined behaviour as a count).
-- expect: @: parameter 'iterations' of lab\.train must be an integer of magnitude at most 9007199254740992 \(2\^53\), got 1e\+300
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 1e300 } -- error here
