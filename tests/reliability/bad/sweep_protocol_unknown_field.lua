-- A phase with a misspelt field.
-- expect: @: lab\.sweep: protocol\[1\]: unknown field 'iteration'; valid: iterations, monitor, optimizer, params, rule, stop_when
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = { { rule = "bptt", iteration = 5 } } }
