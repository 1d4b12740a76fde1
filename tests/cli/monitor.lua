-- Monitors of lab.train: analyses of a held-out batch during training.
-- Checks that they do not change training, that their values are those of
-- the analysis run by hand on the same batch at the same iteration, and
-- that `stop_when` stops a phase at the first evaluation where it holds.
local task = lab.task("romo", { batch = 16 })
local function network()
  return lab.network{ inputs = task.inputs, hidden = 24, outputs = task.outputs, dt = task.dt, seed = 3 }
end
local function train(iterations, extra)
  local spec = { net = network(), task = task, rule = "bptt", optimizer = { "adam", { lr = 3e-3 } },
                 iterations = iterations, log_every = 5, quiet = true }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return lab.train(spec), spec.net
end
local lyapunov = { exponents = 1, steps = 120, seed = 7 }  -- seed: the same Q0 by hand

-- 1. Monitors change no training number: the same losses, bit for bit, and
--    the same weights (the loss of a fresh batch at the final weights).
local plain, plain_net = train(25)
local r, net = train(25, { monitor = { { "accuracy", every = 10 }, { "lyapunov", lyapunov, every = 4 } } })
assert(#plain.losses == #r.losses)
for i, p in ipairs(plain.losses) do
  assert(p.iteration == r.losses[i].iteration and p.loss == r.losses[i].loss, "loss differs at " .. p.iteration)
end
local probe = task:batch(99)
assert(lab.rule("bptt"):gradient(plain_net, probe).loss == lab.rule("bptt"):gradient(net, probe).loss)

-- 2. Evaluated at the phase's start, every `every` iterations and at its last.
local function iterations(rows)
  local t = {}
  for _, row in ipairs(rows) do t[#t + 1] = row.iteration end
  return table.concat(t, ",")
end
assert(iterations(r.monitor.accuracy) == "0,10,20,25", iterations(r.monitor.accuracy))
assert(iterations(r.monitor.lyapunov) == "0,4,8,12,16,20,24,25", iterations(r.monitor.lyapunov))
assert(r.eval_batch.size == 16 and r.stopped == nil)

-- 3. The values equal the analyses run by hand on the evaluation batch with
--    the network trained for as many iterations.
for _, at in ipairs({ 0, 10, 20 }) do
  local _, by_hand = train(at)
  local row
  for _, x in ipairs(r.monitor.accuracy) do if x.iteration == at then row = x end end
  local a = lab.analysis("accuracy"):run(by_hand, r.eval_batch)
  assert(row.accuracy == a.accuracy and row.trials == a.trials and row.majority == a.majority,
         "accuracy at " .. at .. ": " .. row.accuracy .. " vs " .. a.accuracy)
  if at % 4 == 0 then  -- lyapunov is evaluated every 4 iterations
    row = nil
    for _, x in ipairs(r.monitor.lyapunov) do if x.iteration == at then row = x end end
    local l = lab.analysis("lyapunov", lyapunov):run(by_hand, r.eval_batch)
    assert(row.max == l.max and row.max_std == l.max_std, "lyapunov at " .. at)
  end
end

-- 4. The evaluation batch is its own stream: another size when asked for,
--    and not the batch of any training iteration.
local small = train(0, { monitor = { "accuracy" }, eval_batch = 8 })
assert(small.eval_batch.size == 8 and small.iterations == 0 and #small.monitor.accuracy == 1)

-- 5. stop_when: stop after the first evaluation at which the condition holds.
local every = train(30, { monitor = { { "lyapunov", lyapunov, every = 1 } } })
local series = every.monitor.lyapunov
local threshold = series[13].max - 1e-9  -- held at iteration 12, perhaps earlier
local expected
for _, row in ipairs(series) do
  if row.max > threshold then expected = row.iteration; break end
end
local stopped, stopped_net = train(30, { monitor = { { "lyapunov", lyapunov, every = 1 }, { "accuracy", every = 7 } },
                                         stop_when = { "lyapunov", "max", above = threshold } })
assert(stopped.stopped == expected and stopped.iterations == expected, tostring(stopped.stopped) .. " vs " .. expected)
assert(stopped.losses[#stopped.losses].iteration == expected)       -- the curve ends where it stopped
assert(stopped.monitor.accuracy[#stopped.monitor.accuracy].iteration == expected)  -- every monitor ends there
for i, p in ipairs(stopped.losses) do
  if p.iteration % 5 == 0 or p.iteration == 1 then assert(p.loss == every.losses[i].loss) end
end
local _, reference = train(expected)
assert(lab.rule("bptt"):gradient(stopped_net, probe).loss == lab.rule("bptt"):gradient(reference, probe).loss)
-- below: the first participation ratio below a bound (it falls from 1.76
-- at the start to 1.41 at iteration 13 in this training)
local weights = train(30, { monitor = { { "weights", every = 1 } } }).monitor.weights
local low = weights[14].participation_ratio + 1e-9
local first_low
for _, row in ipairs(weights) do
  if row.participation_ratio < low then first_low = row.iteration; break end
end
assert(first_low > 0)
local b = train(30, { monitor = { { "weights", every = 1 } }, stop_when = { "weights", "participation_ratio", below = low } })
assert(b.stopped == first_low and b.iterations == first_low, tostring(b.stopped) .. " vs " .. first_low)
-- A condition that holds at the start: no iteration.
local none, untouched = train(30, { monitor = { "accuracy" }, stop_when = { "accuracy", "trials", above = 0 } })
assert(none.stopped == 0 and none.iterations == 0 and #none.losses == 0)
assert(lab.rule("bptt"):gradient(untouched, probe).loss == lab.rule("bptt"):gradient(network(), probe).loss)
-- A condition never met: the cap.
local capped = train(12, { monitor = { "accuracy" }, stop_when = { "accuracy", "accuracy", above = 100 } })
assert(capped.stopped == nil and capped.iterations == 12)
-- The "same answer on every trial" level, from Lua: Romo with a fixed delay
-- has 14 fixation and 20 decision steps, 0.0625 a decision step.
local fixed = lab.task("romo", { delay_min = 200, delay_max = 200 })
assert(math.abs(fixed:constant_loss() - 20 / 34 * 0.0625) < 1e-4, fixed:constant_loss())
assert(fixed:constant_loss(3) == fixed:constant_loss(3))
assert(fixed:batch(1):constant_loss() > 0)
print("monitors ok: stopped at " .. expected .. " and " .. first_low)
