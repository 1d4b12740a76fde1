-- Monitors in a sweep's protocol (test sweep.monitor): they change no
-- training number (runs.csv is byte for byte that of the sweep without
-- them), summary.csv's <monitor>_<number>_final columns are the last rows
-- of monitors.csv, and stop_when ends phase 1 at the first evaluation where
-- it holds, phase 2 continuing the iteration count from there.
local out = assert(lab.args.out)
local function sweep(name, phase1, phase2)
  lab.sweep{
    out = out .. "/" .. name, fresh = true,
    task = { "romo", { batch = 8 } },
    network = { hidden = 16 },
    grid = { gain = { 0.5, 1.0 }, seed = { 1, 2 } },
    protocol = { phase1, phase2 },
    log_every = 5,
  }
end
local function read_csv(path)
  local rows, header = {}, nil
  for line in io.lines(path) do
    local cells = {}
    for cell in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = cell end
    if not header then header = cells
    else
      local row = {}
      for i, h in ipairs(header) do row[h] = cells[i] end
      rows[#rows + 1] = row
    end
  end
  return rows
end
local function text(path) local f = assert(io.open(path)); local s = f:read("a"); f:close(); return s end

local lyapunov = { "lyapunov", { steps = 100 }, every = 1 }
sweep("plain", { rule = "bptt", iterations = 20 }, { rule = "eprop", iterations = 10 })
sweep("monitored", { rule = "bptt", iterations = 20, monitor = { lyapunov } },
      { rule = "eprop", iterations = 10, monitor = { { "accuracy", every = 4 } } })
assert(text(out .. "/plain/runs.csv") == text(out .. "/monitored/runs.csv"), "monitors changed the losses")

-- The final values: the last evaluation of each monitor.
local monitors = read_csv(out .. "/monitored/monitors.csv")
local last = {}
for _, row in ipairs(monitors) do
  for k, v in pairs(row) do
    if v ~= "" and (k:match("^lyapunov_") or k:match("^accuracy_")) then last[row.run_id .. " " .. k] = v end
  end
end
local summary = read_csv(out .. "/monitored/summary.csv")
assert(#summary == 4)
for _, row in ipairs(summary) do
  for _, k in ipairs({ "lyapunov_max", "accuracy_accuracy", "accuracy_trials" }) do
    assert(row[k .. "_final"] == last[row.run_id .. " " .. k], row.run_id .. " " .. k)
  end
  assert(row.accuracy_trials_final == "8")  -- the evaluation batch has the task's batch size
end
-- Phase 1 at 0, 1, ..., 20; phase 2 at its start (20), 24, 28 and its last (30).
local points = {}
for _, row in ipairs(monitors) do
  if row.run_id == "gain=1_seed=1" then points[#points + 1] = row.phase .. ":" .. row.iteration end
end
assert(#points == 21 + 4 and points[21] == "1:20" and points[22] == "2:20" and points[25] == "2:30", table.concat(points, " "))

-- stop_when: from the monitored sweep's series, the first iteration of each
-- run at which the max exponent is below the value of run gain=1_seed=1 at
-- iteration 8 (that run's exponent falls steadily: it stops at 8).
local series, threshold = {}, {}
for _, row in ipairs(monitors) do
  if row.phase == "1" then
    series[row.run_id] = series[row.run_id] or {}
    table.insert(series[row.run_id], { tonumber(row.iteration), tonumber(row.lyapunov_max) })
  end
end
local bound = series["gain=1_seed=1"][9][2] + 1e-12  -- its value at iteration 8
sweep("stopped", { rule = "bptt", iterations = 20, monitor = { lyapunov },
                   stop_when = { "lyapunov", "max", below = bound } },
      { rule = "eprop", iterations = 10 })
local runs = read_csv(out .. "/stopped/runs.csv")
for _, row in ipairs(read_csv(out .. "/stopped/summary.csv")) do
  local expected = "nan"
  for _, p in ipairs(series[row.run_id]) do
    if p[2] < bound then expected = tostring(p[1]); break end
  end
  assert(row.phase1_stopped == expected, row.run_id .. ": stopped " .. row.phase1_stopped .. ", expected " .. expected)
  local last1, first2
  for _, r in ipairs(runs) do
    if r.run_id == row.run_id then
      if r.phase == "1" then last1 = r.iteration elseif not first2 then first2 = r.iteration end
    end
  end
  local stop = expected == "nan" and 20 or tonumber(expected)
  assert(first2 == tostring(stop + 1), row.run_id .. ": phase 2 starts at " .. tostring(first2))
  if stop > 0 then assert(last1 == tostring(stop)) end
  print(row.run_id .. " stopped at " .. expected)
  if row.run_id == "gain=1_seed=1" then assert(expected == "8") end
end
print("monitor sweep ok")
