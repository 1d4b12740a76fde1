-- Draws one trial of each built-in task with a briefly trained network
-- (BPTT, N = 64): the pictures in the task READMEs.
--   rnnlab run scripts/trial_pictures.lua [--out docs/figures]
local out = lab.args.out or "docs/figures"
lab.mkdir(out)
local cases = {
  { name = "romo", params = {}, iterations = 500, lr = 1e-3 },
  { name = "perceptual_decision", params = {}, iterations = 1000, lr = 3e-3 },
  { name = "delay_match_sample", params = {}, iterations = 1500, lr = 1e-3 },
}
for _, c in ipairs(cases) do
  local task = lab.task(c.name, c.params)
  local net = lab.network{ inputs = task.inputs, hidden = 64, outputs = task.outputs,
                           dt = task.dt, tau = 100, gain = 1.0, seed = 1 }
  lab.train{ net = net, task = task, rule = "bptt", optimizer = { "adam", { lr = c.lr } },
             iterations = c.iterations, quiet = true }
  local acc = lab.analysis("accuracy", {}):run(net, task)
  local png = lab.plot.trial(task, net, { out = out .. "/trial_" .. c.name, trial = 1, seed = 3,
                                          title = string.format("%s after %d BPTT iterations (accuracy %.0f%%)",
                                                                c.name, c.iterations, acc.accuracy) })
  print(png, acc.accuracy)
end
