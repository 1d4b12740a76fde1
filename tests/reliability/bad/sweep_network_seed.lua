-- network.seed in a sweep would be overridden by the sweep's seed.
-- expect: @: lab\.sweep: network\.seed is not used in a sweep; set the sweep's seed, or grid\.seed
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ network = { hidden = 4, seed = 3 } }
