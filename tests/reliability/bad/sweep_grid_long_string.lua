-- A grid value so long that the run's file name could not be made.
-- expect: @: lab\.sweep: a run id would be 10011 characters long \(at most 200: it names the run's files\); shorten the grid keys or values
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { ["rule.trace"] = { string.rep("x", 10000) } } }
