-- The sweep of the folder-safety tests (safety.sh): two short runs.
-- --set iterations=N changes the config (and the length of each run),
-- --set fresh=true starts afresh.
local r = lab.sweep{
  out = assert(lab.args.out, "pass --set out=DIR"),
  task = { "romo", { batch = 2 } },
  network = { hidden = 4 },
  grid = { seed = { 1, 2 } },
  protocol = { { rule = "bptt", iterations = lab.args.iterations or 3 } },
  fresh = lab.args.fresh or false,
}
print(string.format("sweep done: %d runs, %d completed, %d skipped", r.runs, r.completed, r.skipped))
