-- network.inputs differs from the task's: it would be overridden yet recorded as given.
-- expect: @: lab\.sweep: run 'run': network\.inputs = 7, but task 'romo' has 1 inputs; leave it out \(the task sets it\)
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ network = { hidden = 4, inputs = 7 } }
