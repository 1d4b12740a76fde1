-- NaN/Inf in lab.train is not an error: the phase stops, reports
-- diverged = true, and the network keeps its last finite weights.
local task = lab.task("romo", { batch = 2 })

-- 1. Activity overflows at once (W_h ~ N(0, 1e400/N)): the first loss is
-- not finite, so no update is applied at all.
local net = lab.network{ inputs = 1, hidden = 8, outputs = 2, dt = 50, gain = 1e200 }
local r = lab.train{ net = net, task = task, rule = "bptt", optimizer = "adam", iterations = 5 }
assert(r.diverged == true, "diverged should be true")
assert(r.iterations == 0, "no update may be applied, got " .. r.iterations)
assert(#r.losses == 1 and r.losses[1].iteration == 1, "the non-finite loss is logged")
assert(r.final_loss ~= r.final_loss, "final_loss is NaN")

-- 2. A learning rate of 1e300: the first update is finite but throws the
-- weights so far that the next loss is not; the run stops there.
local net2 = lab.network{ inputs = 1, hidden = 8, outputs = 2, dt = 50 }
local r2 = lab.train{ net = net2, task = task, rule = "bptt", optimizer = { "sgd", { lr = 1e300 } },
                      iterations = 50, log_every = 10 }
assert(r2.diverged == true, "diverged should be true")
assert(r2.iterations < 50, "training went on after the divergence")
local last = r2.losses[#r2.losses]
assert(last.loss ~= last.loss or math.abs(last.loss) == math.huge, "the last logged loss is not finite")
-- The network is still usable: another phase runs (and diverges again) without error.
local r3 = lab.train{ net = net2, task = task, rule = "bptt", optimizer = "adam", iterations = 2 }
assert(r3.diverged ~= nil)
print("ok: diverged at iterations " .. (r.iterations + 1) .. " and " .. (r2.iterations + 1))
