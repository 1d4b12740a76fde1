-- Bad parameters for one plugin (or lab.network), generated from its
-- parameter table as printed by `rnnlab help NAME`, never written by hand.
--
--   rnnlab run param_cases.lua --set help=FILE --set kind=KIND --set name=NAME [--set emit=DIR]
--
-- FILE holds the output of `rnnlab help NAME` (KIND "network" for
-- `rnnlab help network`). For every parameter in the table it makes:
--   - an unknown key (the name misspelt), which must list every valid name;
--   - a wrong type: a string for a number, a number for a boolean, choice or
--     string, and a table for any parameter;
--   - NaN for a number;
--   - out-of-range values just past each finite bound of the range, inf
--     past an infinite one, and a string that is not one of the choices.
-- Each case runs here under pcall and its message must be exactly the
-- expected one (integers and numbers are not told apart by the table, so
-- either wording is accepted where they differ). With emit=DIR each case is
-- also written as a script DIR/<name>_<n>.lua whose "-- expect:" header
-- tests/reliability/bad_case.sh checks through the executable.
local help_file = assert(lab.args.help, "pass --set help=FILE")
local kind = assert(lab.args.kind, "pass --set kind=KIND")
local name = assert(lab.args.name, "pass --set name=NAME")
local emit = lab.args.emit

-- --- parse the table ------------------------------------------------------
local function chars(s)  -- UTF-8 aware: the table pads by columns, not bytes
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = utf8.char(c) end
  return out
end
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

local lines = {}
for line in assert(io.open(help_file)):lines() do lines[#lines + 1] = line end
-- The section of this plugin (`rnnlab help` prints one per kind sharing a name).
local first = 1
if kind ~= "network" then
  first = nil
  for i, line in ipairs(lines) do
    if line:sub(1, #kind + #name + 3) == kind .. " '" .. name .. "'" then first = i break end
  end
  assert(first, "no section \"" .. kind .. " '" .. name .. "'\" in " .. help_file)
end
local header_at
for i = first, #lines do
  if lines[i]:match("^%s*name%s+symbol%s+unit%s+default%s+range%s+meaning%s*$") then header_at = i break end
end
assert(header_at, "no parameter table in " .. help_file)
local header = chars(lines[header_at])
local starts = {}
local header_text = table.concat(header)
for _, column in ipairs{ "name", "symbol", "unit", "default", "range", "meaning" } do
  local byte = header_text:find(column, starts[#starts] and utf8.offset(header_text, starts[#starts] + 1) or 1, true)
  starts[#starts + 1] = utf8.len(header_text:sub(1, byte - 1)) + 1
end

local specs = {}
for i = header_at + 1, #lines do
  local line = lines[i]
  if line == "" or not line:match("^  %S") then break end
  if trim(line) == "(no parameters)" then break end
  local c = chars(line)
  local function column(k)
    local stop = starts[k + 1] and starts[k + 1] - 1 or #c
    return trim(table.concat(c, "", starts[k], math.min(stop, #c)))
  end
  specs[#specs + 1] = { name = column(1), default = column(4), range = column(5) }
end

local names = {}
for _, s in ipairs(specs) do names[#names + 1] = s.name end
local owner = kind == "network" and "network" or (kind .. " '" .. name .. "'")

-- --- the cases ----------------------------------------------------------------
-- %g-style number text exactly as rnnlab's describe() prints it.
local function number_text(v)
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
  if v == math.floor(v) and math.abs(v) < 1e17 then return string.format("%d", v) end
  return string.format("%.12g", v)
end

local cases = {}
-- add(key, value source, {accepted messages})
local function add(key, source, messages)
  cases[#cases + 1] = { key = key, source = source, messages = messages }
end
local function p(key) return "parameter '" .. key .. "' of " .. owner end

local known = {}
for _, n in ipairs(names) do known[n] = true end
if #specs == 0 then  -- a plugin without parameters still refuses any
  add("nosuch", "1", { "unknown parameter 'nosuch' for " .. owner .. "; valid: (none)" })
end
for _, s in ipairs(specs) do
  local key, range = s.name, s.range
  -- 1. unknown key: the name with its last letter doubled (a typo)
  local typo = key .. key:sub(-1)
  if known[typo] then typo = key .. "_x" end
  add(typo, "1", { "unknown parameter '" .. typo .. "' for " .. owner .. "; valid: " .. table.concat(names, ", ") })
  -- 2. wrong types
  add(key, "{}", { p(key) .. " must be a boolean, number or string, got table" })
  local numeric = range == "any" or range:match("^[%[%(]") ~= nil
  if numeric then
    add(key, '"oops"', { p(key) .. " must be a number, got string 'oops'", p(key) .. " must be an integer, got string 'oops'" })
    add(key, "true", { p(key) .. " must be a number, got boolean true", p(key) .. " must be an integer, got boolean true" })
    add(key, "0/0", { p(key) .. " must be a number, got nan" })
  elseif range == "true|false" then
    add(key, "1", { p(key) .. " must be a boolean, got number 1" })
    add(key, '"yes"', { p(key) .. " must be a boolean, got string 'yes'" })
  else  -- a choice {a, b} or any string
    add(key, "1", { p(key) .. " must be a string, got number 1" })
    add(key, "false", { p(key) .. " must be a string, got boolean false" })
  end
  -- 3. out of range
  local choices = range:match("^{(.*)}$")
  if choices then
    add(key, '"no_such_choice"', { p(key) .. " must be one of " .. choices .. ", got 'no_such_choice'" })
  elseif numeric then
    local lo_open, lo, hi, hi_close = range:match("^([%[%(])(%S+), (%S+)([%]%)])$")
    local bounds = {}
    if range == "any" then
      bounds = { math.huge }
    else
      assert(lo, "cannot read the range '" .. range .. "' of " .. key)
      local function bound(text)
        if text == "inf" then return math.huge elseif text == "-inf" then return -math.huge end
        return tonumber(text)
      end
      lo, hi = bound(lo), bound(hi)
      assert(lo and hi, "cannot read the bounds of '" .. range .. "' of " .. key)
      if lo == -math.huge then bounds[#bounds + 1] = -math.huge
      elseif lo_open == "(" then bounds[#bounds + 1] = lo
      else bounds[#bounds + 1] = lo - math.max(1, math.abs(lo)) end
      if hi == math.huge then bounds[#bounds + 1] = math.huge
      elseif hi_close == ")" then bounds[#bounds + 1] = hi
      else bounds[#bounds + 1] = hi + math.max(1, math.abs(hi)) end
    end
    for _, v in ipairs(bounds) do
      local text = number_text(v)
      local source = v == math.huge and "math.huge" or v == -math.huge and "-math.huge" or string.format("%.17g", v)
      if v == math.huge or v == -math.huge then
        add(key, source, { p(key) .. " must be a finite number, got " .. text, p(key) .. " must be an integer, got " .. text })
      else
        local messages = { p(key) .. " = " .. text .. " is out of range " .. range }
        if v ~= math.floor(v) then messages[2] = p(key) .. " must be an integer, got " .. text end
        add(key, source, messages)
      end
    end
  end
end

-- --- run them -----------------------------------------------------------------------
local function constructor_call(key, source)
  local params = "{ " .. key .. " = " .. source .. " }"
  if kind == "network" then return "lab.network" .. params end
  return "lab." .. kind .. "(\"" .. name .. "\", " .. params .. ")"
end

local function ere(text)  -- grep -E pattern matching `text` literally
  return (text:gsub("[%^%$%.%[%]%(%)%*%+%?{}|\\]", "\\%0"))
end

local failures = 0
for i, c in ipairs(cases) do
  local code = constructor_call(c.key, c.source)
  local chunk = assert(load("return " .. code, "=" .. name .. "_case", "t", { lab = lab, math = math }))
  local ok, err = pcall(chunk)
  -- The message must name the line of the call, then say what is wrong.
  local where = name .. "_case:1: "
  local message = tostring(err)
  local located = type(err) == "string" and err:sub(1, #where) == where
  if located then message = message:sub(#where + 1) end
  local matched = false
  for _, want in ipairs(c.messages) do matched = matched or message == want end
  if ok or not located or not matched then
    failures = failures + 1
    print(string.format("MISMATCH %s: %s\n  got:      %s\n  expected: %s", owner, code,
                        ok and "(no error)" or message, table.concat(c.messages, "\n       or: ")))
  end
  if emit then
    local alternatives = {}
    for _, want in ipairs(c.messages) do alternatives[#alternatives + 1] = ere(want) end
    local f = assert(io.open(string.format("%s/%s_%03d.lua", emit, name, i), "w"))
    f:write("-- generated by param_cases.lua from `rnnlab help ", kind == "network" and "network" or name, "`\n")
    f:write("-- expect: 3: (", table.concat(alternatives, "|"), ")\n")
    f:write(code, "\n")
    f:close()
  end
end
print(string.format("%s: %d parameters, %d generated cases, %d mismatches", owner, #specs, #cases, failures))
if failures > 0 then error(failures .. " generated case(s) got the wrong message", 0) end
