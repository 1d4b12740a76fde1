-- Sweep throughput benchmark (issue 9): a small sweep of Romo runs, timed by
-- bench/run.sh with --jobs 1 and --jobs 2.
--
--   rnnlab run bench/sweep_bench.lua --jobs J --out DIR [--set runs=16] [--set iterations=500]
--
-- Default: 16 runs (seeds 1..16) of Romo, N = 64, batch 32, BPTT + Adam,
-- 500 iterations each (about 0.2 s per run: long enough that the fixed
-- cost of a run, ~2 ms for its files, does not dominate). The output
-- directory is wiped first (fresh = true), so every invocation trains every
-- run. Prints one JSON line with runs,
-- seconds and runs_per_second (the sweep's own wall clock).
local runs = lab.args.runs or 16
local iterations = lab.args.iterations or 500
local rule = lab.args.rule or "bptt"
local seeds = {}
for s = 1, runs do seeds[s] = s end

local r = lab.sweep{
  out = lab.args.out or "results/sweep_bench",
  task = { "romo", { batch = 32 } },
  network = { hidden = lab.args.hidden or 64, tau = 100, gain = 1.0 },
  grid = { seed = seeds },
  protocol = { { rule = rule, iterations = iterations } },
  optimizer = "adam",
  log_every = iterations,
  fresh = true,
}
print(string.format('{"runs": %d, "completed": %d, "iterations": %d, "rule": "%s", "seconds": %.4f, "runs_per_second": %.5f}',
                    r.runs, r.completed, iterations, rule, r.seconds, r.completed / r.seconds))
