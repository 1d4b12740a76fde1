-- End to end: build, train (adam, then sgd), save network, batch and
-- gradient, reload and compare. Any failed assert exits non-zero.
local out = assert(lab.args.out, "pass --set out=DIR")
lab.mkdir(out)

local task = lab.task("romo", { batch = 8 })
assert(task.inputs >= 1 and task.outputs >= 1 and task.dt > 0, "task sizes")
local net = lab.network{ inputs = task.inputs, hidden = 16, outputs = task.outputs,
                         gain = 1.5, dt = task.dt, tau = 100, seed = 7 }
assert(net.hidden == 16 and net.inputs == task.inputs and net.outputs == task.outputs)
assert(math.abs(net.alpha - (1 - task.dt / 100)) < 1e-12, "alpha = 1 - dt/tau")
assert(net.gain == 1.5 and net.seed == 7 and net.bias == false)

local function check_result(r, iterations, what)
  assert(type(r.final_loss) == "number" and r.final_loss == r.final_loss, what .. ": final_loss is a number")
  assert(r.diverged == false, what .. ": diverged")
  assert(type(r.seconds) == "number" and r.seconds >= 0, what .. ": seconds")
  assert(#r.losses >= 2, what .. ": logged losses")
  assert(r.losses[1].iteration == 1, what .. ": first logged iteration is " .. tostring(r.losses[1].iteration))
  for i = 2, #r.losses do
    assert(r.losses[i].iteration > r.losses[i - 1].iteration, what .. ": logged iterations increase")
  end
  local last = r.losses[#r.losses]
  -- Iterations are counted from 1: the first and the last are logged.
  assert(last.iteration == iterations, what .. ": last logged iteration is " .. tostring(last.iteration))
  assert(last.loss == r.final_loss, what .. ": last logged loss is final_loss")
  assert(last[1] == last.iteration and last[2] == last.loss, what .. ": {iteration, loss} pairs")
end

local before = net:copy()
local r1 = lab.train{ net = net, task = task, rule = lab.rule("bptt"),
                      optimizer = lab.optimizer("adam", { lr = 1e-3 }),
                      iterations = 20, log_every = 5, quiet = true }
check_result(r1, 20, "adam")
assert(#r1.losses == 5, "adam: logged 1, 5, 10, 15, 20; got " .. #r1.losses .. " points")
-- The sugar of the prelude: names and { name, params } pairs.
local r2 = lab.train{ net = net, task = task, rule = "bptt",
                      optimizer = { "sgd", { lr = 1e-2, momentum = 0.9 } },
                      iterations = 20, log_every = 10, quiet = true }
check_result(r2, 20, "sgd")
assert(#r2.losses == 3, "sgd: logged 1, 10, 20; got " .. #r2.losses .. " points")
assert(tostring(before) ~= nil and before.hidden == 16, "copy is independent")

local net_path = out .. "/net.h5"
local batch_path = out .. "/batch.h5"
local grad_path = out .. "/grad.h5"
assert(net:save(net_path) == net, "net:save returns the network")

local batch = task:batch(3)
assert(batch.size == 8 and batch.inputs == task.inputs and batch.outputs == task.outputs)
batch:save(batch_path)

local grad = lab.rule("bptt"):gradient(net, batch)
assert(type(grad.loss) == "number" and grad.loss > 0, "gradient loss")
assert(grad.rule == "bptt" and grad.norm > 0, "gradient rule and norm")
grad:save(grad_path)

-- Round trips.
local back = lab.load_network(net_path)
assert(tostring(back) == tostring(net),
       "tostring differs after reload:\n  " .. tostring(net) .. "\n  " .. tostring(back))
for _, k in ipairs{ "inputs", "hidden", "outputs", "alpha", "gain", "seed", "bias",
                    "activation", "parameters" } do
  assert(back[k] == net[k], "field " .. k .. " differs after reload: " ..
         tostring(net[k]) .. " vs " .. tostring(back[k]))
end
-- Same weights: the gradient on the same batch is the same.
local g2 = lab.rule("bptt"):gradient(back, batch)
assert(g2.loss == grad.loss, "loss on the reloaded network differs: " .. grad.loss .. " vs " .. g2.loss)

local batch2 = lab.load_batch(batch_path)
assert(tostring(batch2) == tostring(batch), tostring(batch) .. " vs " .. tostring(batch2))
local g3 = lab.rule("bptt"):gradient(back, batch2)
assert(g3.loss == grad.loss, "loss on the reloaded batch differs")

print("net: " .. tostring(back))
print("round trip ok")
