-- A grid of a million points (safety.sh big_grid): --set shape=list makes
-- it one list of 10^6 seeds, otherwise 1000 seeds x 1000 learning rates.
-- Run with --shard 1/1000000, so that one run is made; prints the peak
-- resident memory of the process.
local seeds, lrs = {}, {}
if lab.args.shape == "list" then
  for i = 1, 1000000 do seeds[i] = i end
  lrs = { 1e-3 }
else
  for i = 1, 1000 do seeds[i] = i; lrs[i] = 1e-5 * i end
end
local r = lab.sweep{ out = assert(lab.args.out), task = { "romo", { batch = 2 } }, network = { hidden = 4 },
                     grid = { seed = seeds, lr = lrs }, protocol = { { rule = "bptt", iterations = 1 } } }
local peak
for line in io.lines("/proc/self/status") do peak = peak or tonumber(line:match("^VmHWM:%s+(%d+)")) end
print(string.format("runs %d completed %d peak_kb %d", r.runs, r.completed, peak))
