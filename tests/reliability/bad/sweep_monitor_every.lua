-- A sweep-wide monitor with a bad every.
-- expect: @: lab\.sweep: monitor\[1\]: every must be a positive integer \(iterations\), got -3
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ monitor = { { "accuracy", every = -3 } } }
