-- An analysis on a network whose outputs do not fit the task.
-- expect: @: network has 3 outputs but task 'romo' expects 2 \(use outputs = task\.outputs\)
local task = lab.task("romo", { batch = 2 })
local net = lab.network{ inputs = 1, hidden = 4, outputs = 3, dt = 50 }
lab.analysis("accuracy", {}):run(net, task) -- error here
