-- rule = { name, params, extra }: the extra element used to be dropped.
-- expect: @: lab\.train: 'rule' must be \{ name, \{ parameters \} \}, got an extra element at key 3
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
local task = lab.task("romo", { batch = 2 })
lab.train{ net = net, task = task, rule = { "bptt", {}, "extra" }, optimizer = "adam", iterations = 1 } -- error here
