-- A grid key no component has.
-- expect: @: lab\.sweep: grid key 'gian' is not a parameter of the network, task 'romo', the optimizers or the rules of the protocol
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ grid = { gian = { 1, 2 } } }
