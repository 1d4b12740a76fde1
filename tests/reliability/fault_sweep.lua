-- The sweep of the fault tests: four short runs, two small networks
-- (hidden = 4, result files of about 10 kB) and two larger ones (hidden = 64,
-- about 40 kB), so a file size limit between the two fails the third run
-- and not the first two. Run with --jobs 1: runs go in order
-- hidden=4_seed=1, hidden=4_seed=2, hidden=64_seed=1, hidden=64_seed=2.
local r = lab.sweep{
  out = assert(lab.args.out, "pass --set out=DIR"),
  task = { "romo", { batch = 2 } },
  grid = { hidden = { 4, 64 }, seed = { 1, 2 } },
  protocol = { { rule = "bptt", iterations = 3 } },
  log_every = 1,
}
print(string.format("sweep done: %d runs, %d completed, %d skipped, %d diverged",
                    r.runs, r.completed, r.skipped, r.diverged))
