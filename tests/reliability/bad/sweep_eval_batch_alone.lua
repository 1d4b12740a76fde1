-- eval_batch with no monitor.
-- expect: @: lab\.sweep: eval_batch is the size of the monitors' batch; no phase has a monitor
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ eval_batch = 64 }
