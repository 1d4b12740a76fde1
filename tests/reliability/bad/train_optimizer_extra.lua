-- optimizer = { name, params, key = value }: the named extra used to be dropped.
-- expect: @: lab\.train: 'optimizer' must be \{ name, \{ parameters \} \}, got an extra element at key 'lr'
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = "bptt", optimizer = { "adam", lr = 1e-3 }, iterations = 1 } -- error here
