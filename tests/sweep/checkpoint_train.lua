-- lab.train with checkpoint = FILE (checkpoint_test.sh): saves the network
-- to --set save=F and its loss curve, monitored accuracy and result to F.txt.
local task = lab.task("romo", { batch = 8 })
local net = lab.network{ inputs = task.inputs, hidden = 32, outputs = task.outputs, dt = task.dt, seed = 3 }
local r = lab.train{ net = net, task = task, rule = lab.rule("eprop", { feedback = "random" }), optimizer = lab.optimizer("adam", { lr = 1e-3 }),
                     iterations = lab.args.iterations or 6000, log_every = 50, quiet = true,
                     checkpoint = lab.args.ck, checkpoint_every = 0.2,
                     monitor = { { "accuracy", every = 500 } },  -- kept by the checkpoint too
                     stop_when = { "accuracy", "trials", below = 0 } }  -- never
net:save(lab.args.save)
local f = io.open(lab.args.save .. ".txt", "w")
for _, p in ipairs(r.losses) do f:write(string.format("%d %.17g\n", p.iteration, p.loss)) end
for _, p in ipairs(r.monitor.accuracy) do f:write(string.format("accuracy %d %.17g\n", p.iteration, p.accuracy)) end
f:write(string.format("final %.17g %s %d\n", r.final_loss, tostring(r.diverged), r.iterations))
f:close()
