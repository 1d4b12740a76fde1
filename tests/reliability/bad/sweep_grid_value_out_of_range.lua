-- A grid value out of range names the run.
-- expect: @: lab\.sweep: run 'gain=-1': parameter 'gain' of network = -1 is out of range \[0, inf\)
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { gain = { 1, -1 } } }
