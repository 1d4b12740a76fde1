-- A protocol's rule table with an element past { name, { parameters } }.
-- expect: @: lab\.sweep: protocol\[1\]\.rule has 3 elements; expected \{ name, \{ parameters \} \}
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = { { rule = { "bptt", {}, "extra" }, iterations = 1 } } }
