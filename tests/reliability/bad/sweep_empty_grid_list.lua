-- An empty list of grid values.
-- expect: @: lab\.sweep: grid\.gain must be a non-empty list of values
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { gain = {} } }
