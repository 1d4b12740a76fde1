-- A loss-curve figure from iteration 1000 of a sweep that ran 3 iterations.
-- expect: @: from = 1000 is past the last iteration of the sweep \(3\)
local out = assert(lab.args.out) .. "/sweep"
lab.sweep{ out = out, task = { "romo", { batch = 2 } }, network = { hidden = 4 },
           grid = { gain = { 0.5, 1.0 } }, protocol = { { rule = "bptt", iterations = 3 } } }
lab.plot.curves{ sweep = out, out = out .. "/curves", from = 1000, select = "" } -- error here
