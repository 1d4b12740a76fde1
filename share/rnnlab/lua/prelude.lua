-- rnnlab Lua prelude: sugar over the C binding. Receives the module table
-- (C functions), adds conveniences, and returns it as `lab`.
-- Nothing here runs inside a training loop.
local lab = ...

local c_train = lab.train

-- lab.train accepts rule and optimizer as objects, names, or
-- { name, params } pairs:
--   lab.train{ net = net, task = task, rule = "bptt",
--              optimizer = { "adam", { lr = 1e-3 } }, iterations = 100 }
-- `field` names the lab.train field in errors; level 3 is the caller of
-- lab.train.
local function resolve(make, value, field)
  if type(value) == "string" then return make(value, {}) end
  if type(value) == "table" and type(value[1]) == "string" then
    -- Exactly { name } or { name, params }: anything more was meant for
    -- somewhere else and would otherwise be dropped without a word.
    for k in pairs(value) do
      if k ~= 1 and k ~= 2 then
        error("lab.train: '" .. field .. "' must be { name, { parameters } }, got an extra element at key " ..
              (type(k) == "string" and "'" .. k .. "'" or tostring(k)), 3)
      end
    end
    return make(value[1], value[2] or {})
  end
  return value
end

function lab.train(spec)
  if type(spec) ~= "table" then
    error("lab.train{...} expects a table, got " .. type(spec), 2)
  end
  local t = {}
  for k, v in pairs(spec) do t[k] = v end
  t.rule = resolve(lab.rule, t.rule, "rule")
  t.optimizer = resolve(lab.optimizer, t.optimizer, "optimizer")
  return c_train(t)
end

-- Strict globals: reading an undefined global, or creating one inside a
-- function, is an error (a typo costs seconds, not a night of runs).
function lab._strict()
  local mt = getmetatable(_G) or {}
  mt.__newindex = function(t, k, v)
    local info = debug.getinfo(2, "S")
    if info and info.what ~= "main" and info.what ~= "C" then
      error("assignment to undeclared global '" .. tostring(k) ..
            "' inside a function (use 'local', or assign it at the top level first)", 2)
    end
    rawset(t, k, v)
  end
  mt.__index = function(_, k)
    error("undefined global '" .. tostring(k) .. "'", 2)
  end
  setmetatable(_G, mt)
end

return lab
