-- Two runs that would share one result file.
-- expect: @: lab\.sweep: runs 1 and 2 would both be stored as 'gain=1'; remove the repeated grid value
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { gain = { 1, 1.0 } } }
