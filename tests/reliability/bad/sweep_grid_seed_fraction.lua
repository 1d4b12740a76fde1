-- Seeds in the grid must be whole numbers.
-- expect: @: lab\.sweep: grid\.seed values must be integers in 0 … 2\^63 - 1
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { seed = { 1, 2.5 } } }
