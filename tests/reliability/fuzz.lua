-- Fuzzing the Lua boundary: every function of the lab module (lab.plot.*
-- included) and every method of every object type is called with random
-- argument types and counts, each call under pcall. A call must return or
-- raise an error whose message is a string; the process must never crash
-- (ctest fails on a crash or an abort, and the ASan build checks memory).
--
--   rnnlab run fuzz.lua --set tmp=DIR [--set calls=N] [--set seed=S]
--
-- Everything the calls may write stays in DIR: run it with DIR as the
-- working directory; every path in the value pool is relative or inside DIR.
-- Calls that could run for long are bounded: objects that are trained or
-- analysed come from a fixed pool of small ones (random parameters only
-- reach the constructors), lab.train gets iteration counts of at most 2, and
-- lab.sweep configurations always have tiny grids and protocols.
local tmp = assert(lab.args.tmp, "pass --set tmp=DIR")
local calls = lab.args.calls or 6000
local seed = lab.args.seed or 20240808
math.randomseed(seed)

-- --- the pool of values ------------------------------------------------------
local plugins = lab.plugins()
local tasks, rules, optimizers, analyses = {}, {}, {}, {}
local plugin_names = {}
for _, p in ipairs(plugins) do plugin_names[#plugin_names + 1] = p.name end
local by_kind = { task = {}, rule = {}, optimizer = {}, analysis = {} }
for _, p in ipairs(plugins) do
  if by_kind[p.kind] then table.insert(by_kind[p.kind], p.name) end
end

-- Small, cheap, valid objects: the receivers of methods and the inputs of
-- training and analyses.
local cheap_analysis = {
  lyapunov = { steps = 20, trials = 1, warmup = 2 },
  hessian = { iterations = 2, samples = 1 },
}
for _, p in ipairs(plugins) do
  if p.kind == "task" then
    local ok, t = pcall(lab.task, p.name, { batch = 2 })
    if ok then tasks[#tasks + 1] = t end
  elseif p.kind == "rule" then
    rules[#rules + 1] = lab.rule(p.name, {})
  elseif p.kind == "optimizer" then
    optimizers[#optimizers + 1] = lab.optimizer(p.name, {})
  elseif p.kind == "analysis" then
    local ok, a = pcall(lab.analysis, p.name, cheap_analysis[p.name] or {})
    if ok then analyses[#analyses + 1] = a end
  end
end
assert(#tasks > 0 and #rules > 0 and #optimizers > 0 and #analyses > 0, "plugins missing")

local nets, batches = {}, {}
for _, t in ipairs(tasks) do
  nets[#nets + 1] = lab.network{ inputs = t.inputs, hidden = 3, outputs = t.outputs, dt = t.dt, seed = 1 }
  batches[#batches + 1] = t:batch(1)
end
nets[#nets + 1] = lab.network{ inputs = 5, hidden = 2, outputs = 4, alpha = 0.5, bias = true }  -- fits no task
local grads = { rules[1]:gradient(nets[1], batches[1]) }

-- Files in tmp to load: each kind, plus broken ones.
nets[1]:save(tmp .. "/net.h5")
batches[1]:save(tmp .. "/batch.h5")
grads[1]:save(tmp .. "/grad.h5")
local f = assert(io.open(tmp .. "/text.h5", "w")); f:write("not HDF5\n"); f:close()
f = assert(io.open(tmp .. "/regular_file", "w")); f:write("x"); f:close()
-- A finished sweep to plot.
lab.sweep{ out = tmp .. "/sweep0", task = { "romo", { batch = 2 } }, network = { hidden = 3 },
           grid = { gain = { 0.5, 1.5 }, lr = { 1e-3, 1e-2 } }, protocol = { { rule = "bptt", iterations = 2 } },
           analyses = { before = { { "lyapunov", cheap_analysis.lyapunov } }, after = { { "lyapunov", cheap_analysis.lyapunov } } } }

local userdata = {}
for _, list in ipairs{ tasks, rules, optimizers, analyses, nets, batches, grads } do
  for _, u in ipairs(list) do userdata[#userdata + 1] = u end
end
userdata[#userdata + 1] = io.stdout                    -- a foreign userdata
userdata[#userdata + 1] = coroutine.create(function() end)

local numbers = { 0, 1, 2, 3, -1, 0.5, -0.5, 1e-300, 1e300, -1e300, math.huge, -math.huge, 0 / 0,
                  math.maxinteger, math.mininteger, 2 ^ 53, 2 ^ 63, 7, 50 }
local strings = { "", "x", "romo", "bptt", "eprop", "adam", "sgd", "lyapunov", "network", "relu", "tanh",
                  "symmetric", "random", "all", "W_h", "mse", "task", "gain", "lr", "seed", "a\0b", "%s%n%d",
                  "1e3", "net.h5", "new_dir/x.h5", string.rep("a", 5000),
                  tmp .. "/net.h5", tmp .. "/batch.h5", tmp .. "/grad.h5", tmp .. "/text.h5", tmp .. "/missing.h5",
                  tmp .. "/regular_file/x.h5", tmp .. "/sub/dir/out", tmp .. "/sweep0", tmp .. "/out" }
for _, n in ipairs(plugin_names) do strings[#strings + 1] = n end
local keys = { "batch", "hidden", "inputs", "outputs", "dt", "tau", "gain", "alpha", "seed", "bias", "activation",
               "lr", "clip", "momentum", "feedback", "trace", "train", "truncation", "exponents", "steps", "warmup",
               "input", "trials", "iterations", "log_every", "quiet", "net", "task", "rule", "optimizer", "sweep",
               "out", "by", "select", "from", "log_y", "title", "trial", "before", "after", "nosuch", 1, 2 }

local function pick(list) return list[math.random(#list)] end

local random_value
local function random_table(depth)
  local t = {}
  local n = math.random(0, 4)
  for _ = 1, n do
    local k = pick(keys)
    t[k] = random_value(depth + 1)
  end
  if math.random() < 0.1 then t[1] = random_value(depth + 1) end
  if math.random() < 0.05 then t.self = t end                              -- a cycle
  if math.random() < 0.05 then                                             -- fields that raise when read
    setmetatable(t, { __index = function(_, k) error("trap on " .. tostring(k)) end })
  end
  return t
end

function random_value(depth)
  depth = depth or 0
  local r = math.random(100)
  if r <= 5 then return nil
  elseif r <= 10 then return math.random() < 0.5
  elseif r <= 35 then return pick(numbers)
  elseif r <= 60 then return pick(strings)
  elseif r <= 75 and depth < 3 then return random_table(depth)
  elseif r <= 78 then return pick{ print, function() error("boom") end, function() return 1 end }
  else return pick(userdata) end
end

local function random_args()
  local n = math.random(0, 4)
  local args = { n = n }
  for i = 1, n do args[i] = random_value() end
  return args
end

-- lab.train: random fields, but a bounded amount of work.
local function train_args()
  if math.random() < 0.15 then return random_args() end
  if math.random() < 0.4 then  -- a call that fits together, with one field perhaps changed
    local i = math.random(#tasks)
    local t = { net = nets[i]:copy(), task = math.random() < 0.5 and tasks[i] or batches[i], rule = pick(rules),
                optimizer = pick(optimizers), iterations = math.random(0, 2), quiet = true }
    if math.random() < 0.3 then t.log_every = pick{ 1, 2, 0 } end
    if math.random() < 0.3 then t.seed = pick{ 0, 1, 2 ^ 53, -1 } end
    if math.random() < 0.3 then t[pick{ "net", "task", "rule", "optimizer", "iterations", "log_every", "seed" }] = random_value() end
    if type(t.iterations) == "number" and t.iterations > 2 and t.iterations < 1e100 then t.iterations = 2 end
    return { t, n = 1 }
  end
  local t = {}
  local function maybe(key, make) if math.random() < 0.85 then t[key] = make() end end
  maybe("net", function() return math.random() < 0.8 and pick(nets):copy() or random_value() end)
  maybe("task", function() return math.random() < 0.4 and pick(tasks) or math.random() < 0.5 and pick(batches) or random_value() end)
  maybe("rule", function()
    local r = math.random(4)
    if r == 1 then return pick(rules) elseif r == 2 then return pick(strings)
    elseif r == 3 then return { pick(strings), {} } else return random_value() end
  end)
  maybe("optimizer", function()
    local r = math.random(4)
    if r == 1 then return pick(optimizers) elseif r == 2 then return pick{ "adam", "sgd", "x" }
    elseif r == 3 then return { pick{ "adam", "sgd" }, random_table(1) } else return random_value() end
  end)
  maybe("iterations", function() return pick{ 0, 1, 2, -1, 0.5, 0 / 0, math.huge, 1e300, "2", true, {} } end)
  if math.random() < 0.3 then t.log_every = pick{ 1, 0, -1, 2.5, "x" } end
  if math.random() < 0.3 then t.seed = pick(numbers) end
  if math.random() < 0.2 then t.quiet = random_value() end
  if math.random() < 0.1 then t[pick(keys)] = random_value() end
  return { t, n = 1 }
end

-- lab.sweep: always into tmp, at most 2 runs of 2 iterations.
local sweep_count = 0
local function sweep_args()
  if math.random() < 0.15 then
    local args = random_args()
    if type(args[1]) == "table" then args[1] = "not a sweep" end
    return args
  end
  sweep_count = sweep_count + 1
  local cfg = { out = tmp .. "/sweep" .. sweep_count }
  if math.random() < 0.4 then  -- a valid sweep of one or two runs, with one field perhaps changed
    cfg.task = { "romo", { batch = 2 } }
    cfg.network = { hidden = pick{ 2, 3 } }
    cfg.grid = pick{ { gain = { 0.5, 1.5 } }, { seed = { 1, 2 } }, { lr = { 1e-3 } }, { gain = { 1e200 } }, {} }
    cfg.protocol = { { rule = pick(by_kind.rule), iterations = pick{ 0, 1, 2 } } }
    if math.random() < 0.3 then
      local a = pick(by_kind.analysis)
      cfg.analyses = { after = { { a, cheap_analysis[a] or {} } } }
    end
    if math.random() < 0.5 then
      cfg[pick{ "task", "network", "grid", "protocol", "optimizer", "analyses", "log_every", "seed", "fresh", "nosuch" }] =
        random_value()
    end
    return { cfg, n = 1 }
  end
  local function maybe(key, make) if math.random() < 0.8 then cfg[key] = make() end end
  maybe("task", function() return pick{ "romo", { "romo", { batch = 2 } }, { "nosuch" }, random_value() } end)
  maybe("network", function() return pick{ { hidden = 3 }, { hidden = 0 }, random_value() } end)
  maybe("grid", function()
    return pick{ { gain = { 0.5 } }, { seed = { 1, 2 } }, { gain = {} }, { nosuch = { 1 } }, { lr = { 1e-3, "x" } },
                 { ["network.gain"] = { 1, 1.0 } }, random_value() }
  end)
  maybe("protocol", function()
    return pick{ { { rule = "bptt", iterations = pick{ 0, 1, 2, -1, 1.5 } } }, { { rule = pick(strings), iterations = 1 } },
                 {}, "bptt", random_value() }
  end)
  if math.random() < 0.3 then cfg.optimizer = pick{ "adam", "sgd", { "adam", { lr = pick(numbers) } }, random_value() } end
  if math.random() < 0.2 then cfg.log_every = pick(numbers) end
  if math.random() < 0.2 then cfg.seed = pick(numbers) end
  if math.random() < 0.2 then cfg.fresh = random_value() end
  if math.random() < 0.2 then cfg.analyses = pick{ { after = { "weights" } }, { before = { "nosuch" } }, random_value() } end
  if math.random() < 0.1 then cfg[pick(keys)] = random_value() end
  return { cfg, n = 1 }
end

-- Well-typed arguments (each still wrong now and then), so that calls get
-- past the type checks into the code behind them.
local paths = {}
for _, s in ipairs(strings) do
  if s:find("h5", 1, true) or s:find("/", 1, true) then paths[#paths + 1] = s end
end
local small = { 1, 2, 3, 0, -1, 0.5, 50, 100, 1e-3, 0.9, 2 ^ 53, 1e300, 0 / 0, math.huge }
local figure = 0
local typed = {
  name = function(kind) return math.random() < 0.85 and pick(by_kind[kind]) or pick(strings) end,
  params = function()
    local t = {}
    for _ = 1, math.random(0, 3) do
      t[pick(keys)] = math.random() < 0.6 and pick(small) or pick{ true, false, "x", "symmetric", "none", "zero", "W_h" }
    end
    return t
  end,
  path = function() return pick(paths) end,
  netparams = function()
    local t = { inputs = pick{ 1, 2, 3 }, hidden = pick{ 1, 2, 3 }, outputs = pick{ 1, 2 } }
    if math.random() < 0.5 then t.dt = pick{ 10, 50, 100, 150 } else t.alpha = pick{ 0, 0.5, 0.9 } end
    for _ = 1, math.random(0, 3) do
      t[pick{ "inputs", "hidden", "outputs", "gain", "dt", "tau", "alpha", "seed", "bias", "activation", "nosuch" }] =
        math.random() < 0.7 and pick(small) or pick{ true, false, "relu", "tanh", "identity", "x" }
    end
    return t
  end,
  number = function() return pick(numbers) end,
  net = function() return pick(nets) end,
  task = function() return pick(tasks) end,
  batch = function() return pick(batches) end,
  rule = function() return pick(rules) end,
  grad = function() return pick(grads) end,
  analysis = function() return pick(analyses) end,
  task_or_batch = function() return math.random() < 0.5 and pick(tasks) or pick(batches) end,
  net_or_nil = function() return math.random() < 0.6 and pick(nets) or nil end,
  plot = function()
    figure = figure + 1
    local t = { sweep = math.random() < 0.7 and tmp .. "/sweep0" or pick(paths), out = tmp .. "/figures/f" .. figure }
    if math.random() < 0.5 then t.by = pick{ "gain", "lr", "seed", "nosuch" } end
    if math.random() < 0.5 then t.select = pick{ "lr", "gain", "nosuch" } end
    if math.random() < 0.3 then t.from = pick(small) end
    if math.random() < 0.3 then t.log_y = pick{ true, false, 1 } end
    if math.random() < 0.3 then t.title = pick{ "a title", "it's \"quoted\"", "%s", "" } end
    if math.random() < 0.3 then t.before = pick{ "lyapunov_max_before", "nosuch" } end
    if math.random() < 0.3 then t.after = pick{ "lyapunov_max_after", 5 } end
    return t
  end,
  trial = function()
    figure = figure + 1
    local t = { out = tmp .. "/figures/t" .. figure }
    if math.random() < 0.5 then t.trial = pick(small) end
    if math.random() < 0.3 then t.seed = pick(small) end
    if math.random() < 0.3 then t.title = pick{ "a title", "it's", "" } end
    return t
  end,
}
local signatures = {
  ["lab.network"] = { "netparams" },
  ["lab.task"] = { "name:task", "params" },
  ["lab.rule"] = { "name:rule", "params" },
  ["lab.optimizer"] = { "name:optimizer", "params" },
  ["lab.analysis"] = { "name:analysis", "params" },
  ["lab.load_network"] = { "path" }, ["lab.load_batch"] = { "path" },
  ["lab.mkdir"] = { "path" }, ["lab.load_plugins"] = { "path" },
  ["lab.plot.curves"] = { "plot" }, ["lab.plot.lyapunov"] = { "plot" },
  ["lab.plot.trial"] = { "task_or_batch", "net_or_nil", "trial" },
  ["Network:save"] = { "net", "path" }, ["Network:copy"] = { "net" },
  ["Task:batch"] = { "task", "number" }, ["Batch:save"] = { "batch", "path" },
  ["Rule:gradient"] = { "rule", "net", "batch" }, ["Gradient:save"] = { "grad", "path" },
  ["Analysis:run"] = { "analysis", "net", "task_or_batch" },
}
local function typed_args(signature)
  local args = { n = #signature }
  for i, kind in ipairs(signature) do
    if math.random() < 0.9 then
      local what, arg = kind:match("^(%w+):(%w+)$")
      args[i] = typed[what or kind](arg)
    else
      args[i] = random_value()
    end
  end
  if math.random() < 0.1 then args.n = args.n + 1; args[args.n] = random_value() end  -- one too many
  return args
end

-- --- the targets ------------------------------------------------------------------
local targets = {}  -- { name, fn, args = generator or nil }
local special = { train = train_args, sweep = sweep_args }
local function collect(prefix, module)
  local names = {}
  for k, v in pairs(module) do
    if type(v) == "function" then names[#names + 1] = k end
  end
  table.sort(names)
  for _, k in ipairs(names) do
    targets[#targets + 1] = { name = prefix .. k, fn = module[k], args = special[k] }
  end
end
collect("lab.", lab)
collect("lab.plot.", lab.plot)

-- Methods, reached through one object of each type.
local samples = { nets[1], tasks[1], batches[1], rules[1], grads[1], optimizers[1], analyses[1] }
local method_names = { "save", "copy", "batch", "gradient", "run" }
local methods = 0
for _, u in ipairs(samples) do
  for _, m in ipairs(method_names) do
    local ok, fn = pcall(function() return u[m] end)
    if ok and type(fn) == "function" then
      methods = methods + 1
      targets[#targets + 1] = { name = tostring(u):match("^%a+") .. ":" .. m, fn = fn, method = true }
    end
  end
end
local expected = { "lab.network", "lab.load_network", "lab.load_batch", "lab.mkdir", "lab.task", "lab.rule",
                   "lab.optimizer", "lab.analysis", "lab.load_plugins", "lab.plugins", "lab.train", "lab.sweep",
                   "lab.plot.curves", "lab.plot.lyapunov", "lab.plot.trial" }
local have = {}
for _, t in ipairs(targets) do have[t.name] = true end
for _, name in ipairs(expected) do assert(have[name], "the fuzzer does not reach " .. name) end
assert(methods >= 7, "expected at least 7 methods, found " .. methods)

-- Operations on objects other than calls: fields, assignment, metamethods.
local operations = {
  function(u) return u[random_value()] end,
  function(u) u[pick(keys)] = random_value() end,
  function(u) return tostring(u) end,
  function(u) return #u end,
  function(u) return u + 1 end,
  function(u) return u .. "x" end,
  function(u) return u < u end,
  function(u) return u() end,
  function(u) return getmetatable(u).__gc(u) end,
  function(u) for k in pairs(u) do return k end end,
}

-- --- run ----------------------------------------------------------------------------
local stats = { calls = 0, returned = 0, raised = 0 }
local per_target, returned_by, messages = {}, {}, {}
local function check(name, ok, err)
  stats.calls = stats.calls + 1
  if ok then
    stats.returned = stats.returned + 1
    returned_by[name] = (returned_by[name] or 0) + 1
  else
    if lab.args.verbose and type(err) == "string" then
      local m = name .. ": " .. err:gsub("^[^:]*:%d+: ", ""):gsub("'[^']*'", "'.'"):gsub("[%d.e+-]+", "N"):sub(1, 90)
      messages[m] = (messages[m] or 0) + 1
    end
    stats.raised = stats.raised + 1
    if type(err) ~= "string" then
      error(string.format("call %d (%s) raised a %s, not a string message", stats.calls, name, type(err)), 0)
    end
  end
  per_target[name] = (per_target[name] or 0) + 1
end

local unpack = table.unpack
for i = 1, calls do
  local r = math.random(100)
  if r <= 10 then
    local u = pick(userdata)
    check("operation", pcall(pick(operations), u))
  else
    local t = pick(targets)
    local args
    if t.args then args = t.args()
    elseif signatures[t.name] and math.random() < 0.6 then args = typed_args(signatures[t.name])
    else args = random_args() end
    check(t.name, pcall(t.fn, unpack(args, 1, args.n)))
  end
  if i % 500 == 0 then collectgarbage() end
end
collectgarbage()

local names = {}
for name in pairs(per_target) do names[#names + 1] = name end
table.sort(names)
local parts = {}
for _, name in ipairs(names) do parts[#parts + 1] = name .. "=" .. per_target[name] end
print(string.format("fuzz: %d calls (seed %d) over %d functions and methods: %d returned, %d raised a message",
                    stats.calls, seed, #targets, stats.returned, stats.raised))
print("per target: " .. table.concat(parts, " "))
if lab.args.verbose then
  for _, name in ipairs(names) do print(name, per_target[name], "returned", returned_by[name] or 0) end
  local list = {}
  for m, n in pairs(messages) do list[#list + 1] = { m, n } end
  table.sort(list, function(a, b) return a[1] < b[1] end)
  for _, e in ipairs(list) do print(e[2], e[1]) end
end
print("fuzz: no crash")
