-- stop_when with a misspelt bound.
-- expect: @: lab\.sweep: protocol\[1\]\.stop_when: unknown field 'abov'; valid: above, below
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = { { rule = "bptt", iterations = 5, monitor = { "lyapunov" }, stop_when = { "lyapunov", "max", abov = 0 } } } }
