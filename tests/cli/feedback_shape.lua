-- A supplied B of the wrong shape is refused when the phase begins.
local task = lab.task("romo", { batch = 4 })
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
local rule = lab.rule("eprop", { feedback = "random" })
local Bt = {}
for i = 1, 2 do Bt[i] = {} for j = 1, 8 do Bt[i][j] = 0.1 end end
rule:set_feedback(Bt)
lab.train{ net = net, task = task, rule = rule, optimizer = "sgd", iterations = 1, quiet = true }
