-- A run that diverges inside a sweep is recorded as diverged, the other
-- runs go on, the summary says so, and a rerun does not redo it.
local out = assert(lab.args.out) .. "/sweep"
local function run()
  return lab.sweep{
    out = out, fresh = lab.args.fresh,
    task = { "romo", { batch = 2 } },
    network = { hidden = 4 },
    -- 1e200 and 1e-200: also two run ids that used to collide ("1e-200").
    grid = { gain = { 0.5, 1e200, 1.0, 1e-200 } },
    protocol = { { rule = "bptt", iterations = 3 }, { rule = "eprop", iterations = 2 } },
    analyses = { after = { "weights" } },
  }
end
local r = run()
assert(r.runs == 4 and r.completed == 4, "4 runs expected, completed " .. r.completed)
assert(r.diverged == 1, "exactly one diverged run expected, got " .. r.diverged)

-- summary.csv: one row per run; only gain=1e+200 is diverged.
local f = assert(io.open(out .. "/summary.csv"))
local header = f:read("l")
local columns = {}
for name in header:gmatch("[^,]+") do columns[#columns + 1] = name end
local rows, diverged = 0, {}
for line in f:lines() do
  rows = rows + 1
  local cells = {}
  for cell in line:gmatch("[^,]+") do cells[#cells + 1] = cell end
  local row = {}
  for i, name in ipairs(columns) do row[name] = cells[i] end
  diverged[row.run_id] = row.diverged
end
f:close()
assert(rows == 4, "summary.csv has " .. rows .. " rows")
assert(diverged["gain=1e+200"] == "true", "gain=1e+200 is not marked diverged")
for _, id in ipairs{ "gain=0.5", "gain=1", "gain=1e-200" } do
  assert(diverged[id] == "false", id .. " is not marked as a normal run: " .. tostring(diverged[id]))
end
-- The diverged run's file loads (its last finite weights).
assert(lab.load_network(out .. "/runs/gain=1e+200.h5").hidden == 4)

-- Rerun: everything is complete, the diverged run included.
local again = run()
assert(again.skipped == 4 and again.completed == 0, "the rerun redid runs")
print("ok: 4 runs, 1 diverged, the sweep went on")
