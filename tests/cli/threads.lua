-- A few training iterations at N = 256 (packed products, column-block
-- weight gradients), printing every loss to the last bit: threads.sh runs
-- it with --threads 1 and 2 and requires the same output.
local task = lab.task("romo", { batch = 16 })
for _, rule in ipairs({ "bptt", "eprop" }) do
  local net = lab.network{ inputs = task.inputs, hidden = 256, outputs = task.outputs,
                           dt = task.dt, tau = 100, seed = 3 }
  local r = lab.train{ net = net, task = task, rule = rule, optimizer = lab.optimizer("adam", { lr = 0.01 }),
                       iterations = 5, quiet = true }
  for i, e in ipairs(r.losses) do print(string.format("%s %d %.17g", rule, i, e.loss)) end
end
