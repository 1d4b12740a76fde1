-- A misspelt sweep field lists the valid ones.
-- expect: @: lab\.sweep: unknown field 'itertions'; valid: analyses, checkpoint_every, eval_batch, fresh, grid, log_every, monitor, network, optimizer, out, protocol, seed, task
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ itertions = 5 }
