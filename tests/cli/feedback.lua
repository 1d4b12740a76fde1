-- Feedback matrices in and out (issue 16): rule:feedback(),
-- rule:set_feedback(B), rule:save_feedback(path) and the rule parameter
-- feedback_file. A supplied B is kept by every later phase.
local out = lab.args.out
local task = lab.task("romo", { batch = 4 })
local function net()
  return lab.network{ inputs = task.inputs, hidden = 8, outputs = task.outputs, dt = task.dt, tau = 100, seed = 1 }
end
local function train(rule)
  local r = lab.train{ net = net(), task = task, rule = rule, optimizer = lab.optimizer("sgd", { lr = 0.05 }),
                       iterations = 6, quiet = true }
  local losses = {}
  for i, e in ipairs(r.losses) do losses[i] = e.loss end
  return losses
end
local function same(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end
local function same_matrix(A, B)
  if #A ~= #B then return false end
  for i = 1, #A do if not same(A[i], B[i]) then return false end end
  return true
end

assert(lab.rule("bptt", {}):feedback() == nil, "bptt has no feedback matrix")
assert(lab.rule("eprop", {}):feedback() == nil, "symmetric e-prop has no feedback matrix")

-- Drawn from the phase seed.
local drawn = lab.rule("eprop", { feedback = "random" })
local reference = train(drawn)
local B = drawn:feedback()
assert(#B == 8 and #B[1] == 2, "B is N x Nout")

-- Round trip, bit for bit; training with the same B supplied gives the
-- same losses, and begin() keeps it.
local supplied = lab.rule("eprop", { feedback = "random" })
supplied:set_feedback(B)
assert(same_matrix(supplied:feedback(), B), "feedback() after set_feedback()")
assert(same(train(supplied), reference), "training with the supplied B")
assert(same_matrix(supplied:feedback(), B), "B kept through begin()")
assert(same(train(supplied), reference), "B kept for a second phase")

-- Another B changes the training.
local half = {}
for i = 1, #B do
  half[i] = {}
  for j = 1, #B[i] do half[i][j] = B[i][j] / 2 end
end
local other = lab.rule("eprop", { feedback = "random" })
other:set_feedback(half)
assert(not same(train(other), reference), "a different B must change the losses")
assert(same_matrix(other:feedback(), half))

-- Through an HDF5 file (dataset "feedback", N x Nout).
drawn:save_feedback(out .. "/B.h5")
local from_file = lab.rule("eprop", { feedback_file = out .. "/B.h5" })
assert(same_matrix(from_file:feedback(), B), "feedback() of a rule given feedback_file")
assert(same(train(from_file), reference), "training with B from the file")

-- RFLO draws the same B from the same seed, and takes a supplied one too.
local rflo = lab.rule("rflo", { feedback_file = out .. "/B.h5" })
local rflo_drawn = lab.rule("rflo", {})
assert(same(train(rflo), train(rflo_drawn)), "rflo with B from the file")
local rflo_half = lab.rule("rflo", {})
rflo_half:set_feedback(half)
assert(same(train(rflo_half), train(other)), "rflo with a supplied B equals e-prop with it")

-- Rules without a feedback matrix refuse one.
local ok, err = pcall(function() lab.rule("bptt", {}):set_feedback(B) end)
assert(not ok and err:find("rule 'bptt' has no feedback matrix to set", 1, true), err)
print("feedback ok")
