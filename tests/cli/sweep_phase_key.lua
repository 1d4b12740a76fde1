-- A grid key phaseK.<param> sets a parameter of phase K only: the grid
-- phase2.lr = 0.01 gives the same runs as a protocol whose second phase
-- names lr = 0.01 itself, while the first phase keeps the sweep's lr.
local out = lab.args.out
local function sweep(name, protocol, grid)
  lab.sweep{ out = out .. "/" .. name, fresh = true, task = { "romo", { batch = 4 } },
             network = { hidden = 8, tau = 100 }, grid = grid, protocol = protocol,
             optimizer = { "adam", { lr = 1e-3 } }, log_every = 1 }
  return lab.results(out .. "/" .. name).runs
end
local explicit = sweep("explicit", {
  { rule = "bptt", iterations = 3 },
  { rule = "bptt", iterations = 3, optimizer = { "adam", { lr = 1e-2 } } },
}, { seed = { 1 } })
local keyed = sweep("keyed", { { rule = "bptt", iterations = 3 }, { rule = "bptt", iterations = 3 } },
                    { seed = { 1 }, ["phase2.lr"] = { 1e-2 } })
local everywhere = sweep("everywhere", { { rule = "bptt", iterations = 3 }, { rule = "bptt", iterations = 3 } },
                         { seed = { 1 }, lr = { 1e-2 } })
local a, b, c = explicit[1].curve, keyed[1].curve, everywhere[1].curve
assert(#a == 6 and #b == 6, "6 logged iterations")
for i = 1, 6 do assert(a[i].loss == b[i].loss, "phase2.lr = explicit phase optimizer at iteration " .. i) end
assert(c[3].loss ~= b[3].loss, "lr (no prefix) changes phase 1 too")
-- Order does not matter: "phase1.trace" sorts before "rule.trace", and
-- phase 1 still takes its own value.
local e1 = sweep("explicit_trace", {
  { rule = "eprop", params = { trace = "leak" }, iterations = 3 },
  { rule = "eprop", params = { trace = "none" }, iterations = 3 },
}, { seed = { 1 } })
local k1 = sweep("keyed_trace", { { rule = "eprop", iterations = 3 }, { rule = "eprop", iterations = 3 } },
                 { seed = { 1 }, ["phase1.trace"] = { "leak" }, ["rule.trace"] = { "none" } })
local n1 = sweep("none_trace", { { rule = "eprop", iterations = 3 }, { rule = "eprop", iterations = 3 } },
                 { seed = { 1 }, ["rule.trace"] = { "none" } })
for i = 1, 6 do assert(e1[1].curve[i].loss == k1[1].curve[i].loss, "phase1.trace wins at iteration " .. i) end
assert(n1[1].curve[3].loss ~= k1[1].curve[3].loss, "the traces differ in phase 1")
print("phase keys: OK")
