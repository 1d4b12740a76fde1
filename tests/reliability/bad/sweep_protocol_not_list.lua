-- A protocol that is a name instead of a list of phases.
-- expect: @: lab\.sweep: 'protocol' must be a list of phases, e\.g\. \{ \{ rule = \"bptt\", iterations = 1000 \} \}
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = "bptt" }
