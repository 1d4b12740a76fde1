-- A feedback_file of the wrong shape is refused when the phase begins.
local task = lab.task("romo", { batch = 4 })
local small = lab.network{ inputs = task.inputs, hidden = 3, outputs = task.outputs, dt = task.dt, seed = 1 }
local rule = lab.rule("eprop", { feedback = "random" })
lab.train{ net = small, task = task, rule = rule, optimizer = "sgd", iterations = 1, quiet = true }
rule:save_feedback(lab.args.out .. "/B3.h5")
local net = lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, seed = 1 }
local from_file = lab.rule("eprop", { feedback_file = lab.args.out .. "/B3.h5" })
lab.train{ net = net, task = task, rule = from_file, optimizer = "sgd", iterations = 1, quiet = true }
