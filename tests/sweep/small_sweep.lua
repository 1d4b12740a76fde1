-- A small sweep for the sweep tests: 12 runs, two phases, an analysis.
-- --set iterations=N makes each phase longer (for kill/interrupt tests),
-- --set lr_values=2 changes the config (for the config-change test).
local iterations = lab.args.iterations or 20
local lrs = { 1e-3, 3e-3 }
if lab.args.lr_values == 3 then lrs = { 1e-3, 3e-3, 1e-2 } end
local r = lab.sweep{
  out = lab.args.out,
  task = { "romo", { batch = 8 } },
  network = { hidden = 16 },
  grid = { gain = { 0.5, 1.0, 1.5 }, seed = { 1, 2 }, lr = lrs },
  protocol = { { rule = "bptt", iterations = iterations }, { rule = "eprop", iterations = iterations } },
  analyses = { after = { "gradient_alignment" } },
  log_every = 5,
  fresh = lab.args.fresh or false,
}
print(string.format("sweep done: %d runs, %d completed, %d skipped, %d diverged",
                    r.runs, r.completed, r.skipped, r.diverged))
