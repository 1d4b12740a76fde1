-- A sweep for the numbers test: grid values that binary floating point
-- does not hold exactly (0.2, 0.0039), analyses that return numbers of
-- every size, and a curve of losses.
local r = lab.sweep{
  out = lab.args.out,
  task = { "romo", { batch = 4 } },
  network = { hidden = 8 },
  grid = { gain = { 0.2, 1.1 }, lr = { 0.0039, 1e-3 }, seed = { 1 } },
  protocol = { { rule = "bptt", iterations = 6 } },
  analyses = { before = { { "lyapunov", { steps = 60, exponents = 2 } } },
               after = { { "lyapunov", { steps = 60, exponents = 2 } }, "gradient_alignment" } },
  log_every = 2,
}
print(string.format("sweep done: %d runs, %d completed", r.runs, r.completed))
