-- Initializers from Lua: lab.network{ init = ... } by name, { name, params }
-- or object; the default is gaussian; a sweep with network.init and init.p.
local task = lab.task("romo", { batch = 2 })
local function stats(net)
  local w = lab.analysis("weights", {}):run(net, task)
  return w.W_h_norm, w.spectral_radius
end
local base = { inputs = task.inputs, hidden = 200, outputs = task.outputs, alpha = 0.5, gain = 1.2, seed = 3 }
local function with(init)
  local t = {}
  for k, v in pairs(base) do t[k] = v end
  t.init = init
  return lab.network(t)
end
local n0, r0 = stats(lab.network(base))
local n1, r1 = stats(with("gaussian"))
assert(n0 == n1 and r0 == r1, "init = 'gaussian' must be the default network")
local n2, r2 = stats(with({ "sparse", { p = 0.1 } }))
-- The network remembers its initializer: `weights` measures change from
-- the sparse weights it was drawn with (and after a save and load, below).
local sparse = with({ "sparse", { p = 0.1 } })
assert(sparse.init == "sparse" and lab.network(base).init == "gaussian", sparse.init)
assert(lab.analysis("weights", { activity = false }):run(sparse, task).change == 0, "change of a fresh sparse network")
assert(n2 ~= n0, "sparse must draw other weights")
assert(math.abs(r2 / 1.2 - 1) < 0.15, "sparse spectral radius " .. r2 .. " should be near gain 1.2")
local init = lab.initializer("sparse", { p = 0.2 })
print(tostring(init))
local n3 = stats(with(init))
assert(n3 ~= n2, "p = 0.2 and p = 0.1 differ")
local ok, err = pcall(with, "nosuch")
assert(not ok and err:find("unknown initializer 'nosuch'"), tostring(err))
for _, case in ipairs{ { 42, "init must be an initializer name" },
                      { { "sparse", { p = 0.1 }, 3 }, "init must be { name, { parameters } }" },
                      { { "sparse", { q = 1 } }, "unknown parameter 'q' for initializer 'sparse'" },
                      { { "sparse", { p = 0 } }, "out of range" } } do
  local ok2, err2 = pcall(with, case[1])
  assert(not ok2 and err2:find(case[2], 1, true), tostring(err2))
end
print("init selection ok")

local r = lab.sweep{
  out = lab.args.out,
  task = { "romo", { batch = 4 } },
  network = { hidden = 16, init = { "sparse", { p = 0.5 } } },
  grid = { ["network.init"] = { "gaussian", "sparse" }, ["init.p"] = { 0.25, 1.0 } },
  protocol = { { rule = "bptt", iterations = 2 } },
  fresh = true,
}
print(string.format("sweep done: %d runs, %d completed", r.runs, r.completed))
-- The gaussian runs ignore init.p; sparse at p = 1 is gaussian, bit for bit.
local loss = {}
for line in io.lines(lab.args.out .. "/summary.csv") do
  local id, l = line:match("^([^,]+),[^,]+,[^,]+,([^,]+),")
  if id then loss[id] = l end
end
assert(loss["init.p=0.25_network.init=gaussian"] == loss["init.p=1_network.init=gaussian"])
assert(loss["init.p=1_network.init=sparse"] == loss["init.p=1_network.init=gaussian"])
assert(loss["init.p=0.25_network.init=sparse"] ~= loss["init.p=1_network.init=gaussian"])
-- The run file records the initializer: two iterations change W_h little
-- from the sparse weights the run started from.
local run = lab.load_network(lab.args.out .. "/runs/init.p=0.25_network.init=sparse.h5")
assert(run.init == "sparse", run.init)
local change = lab.analysis("weights", { activity = false }):run(run, task).W_h_change
assert(change < 0.2, "W_h_change of a sparse run after 2 iterations: " .. change)
sparse:save(lab.args.out .. "/sparse.h5")
local loaded = lab.load_network(lab.args.out .. "/sparse.h5")
assert(loaded.init == "sparse", loaded.init)
assert(lab.analysis("weights", { activity = false }):run(loaded, task).change == 0, "change of a loaded sparse network")
print("sweep init ok")
