-- lab.train without a network.
-- expect: @: lab\.train: 'net' must be an rnnlab\.Network \(lab\.network\{\.\.\.\}\), got nothing
local task = lab.task("romo", { batch = 2 })
lab.train{ task = task, rule = "bptt", optimizer = "adam", iterations = 1 } -- error here
