-- lab.train with a number as the task.
-- expect: @: lab\.train: 'task' must be an rnnlab\.Task or rnnlab\.Batch
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
lab.train{ net = net, task = 5, rule = "bptt", optimizer = "adam", iterations = 1 } -- error here
