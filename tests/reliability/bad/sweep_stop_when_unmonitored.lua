-- stop_when on an analysis the phase does not monitor.
-- expect: @: lab\.sweep: protocol\[1\]\.stop_when: 'lyapunov' is not monitored; add it to monitor, e\.g\. .*
local function sweep(changes)
  local cfg = { out = lab.args.out .. "/sweep", task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                protocol = { { rule = "bptt", iterations = 1 } } }
  for k, v in pairs(changes) do cfg[k] = v end
  return lab.sweep(cfg) -- error here
end
sweep{ protocol = { { rule = "bptt", iterations = 5, monitor = { "accuracy" }, stop_when = { "lyapunov", "max", above = 0 } } } }
