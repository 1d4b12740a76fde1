-- Quickstart: train a 64-unit ReLU RNN on the Romo working-memory task
-- with BPTT and Adam, then save the network and a batch.
--
--   rnnlab run scripts/quickstart.lua [--set iterations=500] [--out DIR]
local out = lab.args.out or "results/quickstart"
local iterations = lab.args.iterations or 500
lab.mkdir(out)

local task = lab.task("romo", { batch = 32 })
local net = lab.network{ inputs = task.inputs, hidden = 64, outputs = task.outputs,
                         gain = 1.0, dt = task.dt, tau = 100, seed = 1 }
print(net)

local result = lab.train{ net = net, task = task, rule = lab.rule("bptt"),
                          optimizer = lab.optimizer("adam", { lr = 1e-3 }),
                          iterations = iterations, log_every = 50 }

print("iteration  loss")
for _, point in ipairs(result.losses) do
  print(string.format("%9d  %.6f", point.iteration, point.loss))
end
local first = result.losses[1].loss
print(string.format("loss fell from %.4g to %.4g (%.1f%% of the start) in %.2f s",
                    first, result.final_loss, 100 * result.final_loss / first, result.seconds))

net:save(out .. "/network.h5")
task:batch(1):save(out .. "/batch.h5")
print("wrote " .. out .. "/network.h5 and " .. out .. "/batch.h5")
