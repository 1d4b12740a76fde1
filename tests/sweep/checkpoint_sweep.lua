-- One long run of two phases, checkpointed often (checkpoint_test.sh):
-- --set every=S sets checkpoint_every, --set iterations=N each phase's length.
local r = lab.sweep{
  out = assert(lab.args.out),
  task = { "romo", { batch = 8 } },
  network = { hidden = 32 },
  grid = { seed = { 1 } },
  protocol = { { rule = "bptt", iterations = lab.args.iterations or 2000,
                 monitor = { { "accuracy", every = 500 } },  -- the checkpoint keeps what they recorded
                 stop_when = { "accuracy", "trials", below = 0 } },  -- never holds
               { rule = "eprop", iterations = lab.args.iterations or 2000, monitor = { { "accuracy", every = 700 } } } },
  analyses = { before = { { "lyapunov", { exponents = 2 } } } },
  log_every = 10,
  checkpoint_every = lab.args.every or 60,
}
print(string.format("sweep done: %d runs, %d completed", r.runs, r.completed))
