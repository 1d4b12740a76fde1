-- lab.train with a number as the rule.
-- expect: @: lab\.train: 'rule' must be an rnnlab\.Rule \(lab\.rule\(name, params\)\), got number
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = 5, optimizer = "adam", iterations = 1 } -- error here
