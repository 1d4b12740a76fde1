-- A phase monitors an analysis no plugin provides.
-- expect: @: lab\.sweep: protocol\[1\]\.monitor\[1\]: unknown analysis 'acuracy'; available: .*
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = { { rule = "bptt", iterations = 5, monitor = { { "acuracy", every = 2 } } } } }
