-- eval_batch without a monitor is a mistake.
-- expect: @: lab\.train: eval_batch is the size of the monitors' batch; there is no monitor
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5, eval_batch = 8 } -- error here
