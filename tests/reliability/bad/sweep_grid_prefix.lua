-- A grid key with an unknown prefix.
-- expect: @: lab\.sweep: grid key 'net\.gain': prefix must be network, task, optimizer, rule or init
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { ["net.gain"] = { 1 } } }
