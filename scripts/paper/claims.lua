-- The paper's claims as checks computed from the sweep outputs
-- (docs/reproduction.md, "Claims"). Each claim compares groups of runs
-- (one value per seed, at the learning rate chosen per gain as the figures
-- choose it) with Welch's t-test and gives a verdict:
--
--   reproduced    every part of the claim holds, significantly
--   partly        some parts hold, others do not or cannot be decided
--   not           a part is refuted: significantly the other way, or no
--                 significant difference with 3 or more seeds
--   inconclusive  no part can be decided (fewer than 3 seeds per group and
--                 no significant difference, or no data)
--
-- Significance: Welch's t statistic against the two-sided 95% quantile of
-- Student's t at the Welch-Satterthwaite degrees of freedom (rounded down).
-- The measures, thresholds and the pairs of gains compared are this
-- project's choices (the paper publishes curves, not tests): see
-- docs/reproduction.md.
--
-- The functions take plain tables, so the evaluator is tested on hand-made
-- data (tests/paper/claims_test.lua):
--   claims.evaluate(list, data) -> rows { id, figure, claim, setting, verdict, numbers }
--   data[sweep] = { runs = { {grid = {gain=, seed=, lr=}, curve = {{iteration=, loss=}}, scalars = {...},
--                             final_loss =, diverged = } }, best = { [gain] = lr } }   (lab.results)
local M = {}

-- Two-sided 95% quantiles of Student's t, df = 1..30.
local t975 = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 }
local function t_quantile(df)
  if df < 1 then return math.huge end
  return t975[math.min(math.floor(df), #t975)]
end

function M.mean(xs)
  local s = 0
  for _, x in ipairs(xs) do s = s + x end
  return s / #xs
end

function M.sd(xs)
  if #xs < 2 then return 0 end
  local m, s = M.mean(xs), 0
  for _, x in ipairs(xs) do s = s + (x - m) ^ 2 end
  return math.sqrt(s / (#xs - 1))
end

-- Welch's test of "a > b": { verdict, t, df, critical, text }.
function M.greater(a, b)
  if #a == 0 or #b == 0 then
    return { verdict = "inconclusive", text = "no runs to compare" }
  end
  local ma, mb = M.mean(a), M.mean(b)
  local va, vb = M.sd(a) ^ 2 / #a, M.sd(b) ^ 2 / #b
  local se = math.sqrt(va + vb)
  local t, df
  if se == 0 then
    t = (ma > mb) and math.huge or ((ma < mb) and -math.huge or 0)
    df = #a + #b - 2
  else
    t = (ma - mb) / se
    df = (va + vb) ^ 2 / ((#a > 1 and va ^ 2 / (#a - 1) or 0) + (#b > 1 and vb ^ 2 / (#b - 1) or 0))
    if df ~= df or df == math.huge then df = #a + #b - 2 end
  end
  local crit = t_quantile(df)
  local verdict
  if #a < 2 or #b < 2 then
    -- One value per group: no variance, no test.
    verdict = "inconclusive"
  elseif t > crit then
    verdict = "reproduced"
  elseif t < -crit then
    verdict = "not"
  elseif math.min(#a, #b) >= 3 then
    verdict = "not"
  else
    verdict = "inconclusive"
  end
  return { verdict = verdict, t = t, df = df, critical = crit,
           text = string.format("t = %.3g (df %.3g, 95%% critical %.3g)", t, df, crit) }
end

-- The verdict of a claim from those of its parts.
function M.combine(parts)
  local count = { reproduced = 0, ["not"] = 0, inconclusive = 0 }
  for _, p in ipairs(parts) do count[p.verdict] = count[p.verdict] + 1 end
  if #parts > 0 and count.reproduced == #parts then return "reproduced" end
  if count.reproduced > 0 then return "partly" end
  if count["not"] > 0 then return "not" end
  return "inconclusive"
end

-- Measures of one run ----------------------------------------------------

-- Mean of log10(loss) over the logged points from iteration `from` on: the
-- height of the curve on the figure's log axis, i.e. how fast and how far
-- the run learned. nil for a diverged run.
function M.level(run, from)
  if run.diverged then return nil end
  local s, n = 0, 0
  for _, p in ipairs(run.curve) do
    if p.iteration >= (from or 0) and p.loss == p.loss and p.loss > 0 then
      s, n = s + math.log(p.loss, 10), n + 1
    end
  end
  return n > 0 and s / n or nil
end

-- A scalar of the run's analyses (e.g. "lyapunov_max_before"); nil if NaN.
function M.scalar(key)
  return function(run)
    local v = run.scalars[key]
    if v == nil or v ~= v then return nil end
    return v
  end
end

-- Per-seed values of `measure` at one gain, at that gain's chosen lr.
-- Returns values, { seeds = n, diverged = d }.
function M.values(sweep, gain, measure)
  local lr = sweep.best[gain]
  local xs, info = {}, { seeds = 0, diverged = 0, lr = lr }
  for _, run in ipairs(sweep.runs) do
    if run.grid.gain == gain and (lr == nil or run.grid.lr == lr) then
      info.seeds = info.seeds + 1
      local v = measure(run)
      if v == nil then info.diverged = info.diverged + 1 else xs[#xs + 1] = v end
    end
  end
  return xs, info
end

local function g(x) return string.format("%.3g", x) end

local function describe(label, xs, info, show)
  if #xs == 0 then return string.format("%s: no value (%d runs, %d diverged)", label, info.seeds, info.diverged) end
  local s
  if show then  -- a level: the geometric mean loss, and the spread of log10 loss
    s = string.format("%s: %s (sd of log10 %s, n = %d", label, show(M.mean(xs)), g(M.sd(xs)), #xs)
  else
    s = string.format("%s: %s ± %s (n = %d", label, g(M.mean(xs)), g(M.sd(xs)), #xs)
  end
  if info.diverged > 0 then s = s .. string.format(", %d diverged", info.diverged) end
  return s .. ")"
end

-- 10^level as a loss, for the text.
local function as_loss(level) return g(10 ^ level) end

-- One part "measure at gain a > measure at gain b" (or of two sweeps, or
-- two measures of the same runs).
-- spec = { sweep_a, gain_a, sweep_b (= sweep_a), gain_b, measure,
--          measure_b (= measure), label_a, label_b, show }
function M.part(spec)
  local a, ia = M.values(spec.sweep_a, spec.gain_a, spec.measure)
  local b, ib = M.values(spec.sweep_b or spec.sweep_a, spec.gain_b, spec.measure_b or spec.measure)
  local test = M.greater(a, b)
  if ia.seeds == 0 or ib.seeds == 0 then test = { verdict = "inconclusive", text = "gain not in the sweep" } end
  test.text = string.format("%s > %s? %s; %s; %s", spec.label_a, spec.label_b,
                            describe(spec.label_a, a, ia, spec.show), describe(spec.label_b, b, ib, spec.show),
                            test.text)
  return test
end

-- Claims ------------------------------------------------------------------

-- "the curve at gain `low` lies above the one at gain `ref`" on one sweep.
local function slower(sweep, low, ref, from)
  return M.part{ sweep_a = sweep, gain_a = low, gain_b = ref,
                 measure = function(run) return M.level(run, from) end,
                 label_a = "gain " .. g(low), label_b = "gain " .. g(ref), show = as_loss }
end

-- Builds the list of claims for the paper scripts' sweep names. `opts`:
-- { from = first iteration of Figs. 1, 2, 5 curves, from4 = of Fig. 4,
--   low = 0.2, ref = 1.0, fig5_gains = { 0.3, 0.4, 0.5, 0.6 },
--   only = { id prefixes to keep }, variant = "trace_leak" (appended to
--   the ids of an ablation's claims), variant_label = "trace=leak" (to
--   their settings) }.
function M.paper(opts)
  local low, ref = opts.low or 0.2, opts.ref or 1.0
  local list = {}
  local function add(c) list[#list + 1] = c end
  local function level_claim(id, figure, sweep, setting, text)
    add{ id = id, figure = figure, sweeps = { sweep }, setting = setting, claim = text,
         evaluate = function(d) return { slower(d[sweep], low, ref, opts.from) } end }
  end
  level_claim("fig1.bptt", "1B", "fig1_romo_bptt", "Romo, BPTT",
              "the initial gain strongly changes learning: gain " .. g(low) .. " learns worse than gain " .. g(ref))
  level_claim("fig1.eprop", "1C", "fig1_romo_eprop", "Romo, e-prop",
              "the initial gain strongly changes learning: gain " .. g(low) .. " learns worse than gain " .. g(ref))
  for _, t in ipairs{ { "2af", "2AF" }, { "dms", "DMS" } } do
    for _, r in ipairs{ { "bptt", "BPTT" }, { "eprop", "e-prop" } } do
      level_claim("fig2." .. t[1] .. "_" .. r[1], "2", "fig2_" .. t[1] .. "_" .. r[1], t[2] .. ", " .. r[2],
                  "the trend of Fig. 1 holds on this task: gain " .. g(low) .. " learns worse than gain " .. g(ref))
    end
  end
  -- Fig. 3: max Lyapunov exponent before and after training (per step).
  local before, after = M.scalar("lyapunov_max_before"), M.scalar("lyapunov_max_after")
  add{ id = "fig3.before", figure = "3", sweeps = { "fig1_romo_bptt" }, setting = "Romo, before training",
       claim = "before training the max Lyapunov exponent of small gains is far below 0: gain " .. g(low) ..
               " below gain " .. g(ref),
       evaluate = function(d)
         return { M.part{ sweep_a = d.fig1_romo_bptt, gain_a = ref, gain_b = low, measure = before,
                          label_a = "gain " .. g(ref), label_b = "gain " .. g(low) } }
       end }
  for _, r in ipairs{ { "bptt", "BPTT" }, { "eprop", "e-prop" } } do
    local sweep = "fig1_romo_" .. r[1]
    add{ id = "fig3.after_" .. r[1], figure = "3", sweeps = { sweep }, setting = "Romo, " .. r[2],
         claim = "after training the max Lyapunov exponent is near 0: closer to 0 than before, at every gain",
         evaluate = function(d)
           local parts = {}
           local gains = {}
           for gain in pairs(d[sweep].best) do gains[#gains + 1] = gain end
           table.sort(gains)
           local function distance(measure)
             return function(run) local v = measure(run) return v and math.abs(v) end
           end
           for _, gain in ipairs(gains) do
             parts[#parts + 1] = M.part{ sweep_a = d[sweep], gain_a = gain, gain_b = gain,
               measure = distance(before), measure_b = distance(after),
               label_a = "|before| at gain " .. g(gain), label_b = "|after|" }
           end
           return parts
         end }
    add{ id = "fig3.change_" .. r[1], figure = "3", sweeps = { sweep }, setting = "Romo, " .. r[2],
         claim = "training changes the max Lyapunov exponent most at small gains: |after - before| at gain " ..
                 g(low) .. " above gain " .. g(ref),
         evaluate = function(d)
           local change = function(run)
             local b, a = before(run), after(run)
             return (a and b) and math.abs(a - b) or nil
           end
           return { M.part{ sweep_a = d[sweep], gain_a = low, gain_b = ref, measure = change,
                            label_a = "gain " .. g(low), label_b = "gain " .. g(ref) } }
         end }
  end
  -- Fig. 4: e-prop with and without 100 flossing iterations first.
  local level4 = function(run) return M.level(run, opts.from4) end
  add{ id = "fig4.helps", figure = "4", sweeps = { "fig4_eprop", "fig4_floss_eprop" }, setting = "Romo, e-prop",
       claim = "flossing first lowers the e-prop loss curve at the suboptimal gain " .. g(low),
       evaluate = function(d)
         return { M.part{ sweep_a = d.fig4_eprop, gain_a = low, sweep_b = d.fig4_floss_eprop, gain_b = low,
                          measure = level4, label_a = "without flossing", label_b = "with flossing", show = as_loss } }
       end }
  add{ id = "fig4.most_at_suboptimal", figure = "4", sweeps = { "fig4_eprop", "fig4_floss_eprop" },
       setting = "Romo, e-prop",
       claim = "flossing helps most at suboptimal gains: its gain in log10 loss is larger at gain " .. g(low) ..
               " than at gain " .. g(ref),
       evaluate = function(d)
         -- Per seed: level without minus level with flossing (same seeds).
         local function help(gain)
           local plain = {}
           local lr = d.fig4_eprop.best[gain]
           for _, run in ipairs(d.fig4_eprop.runs) do
             if run.grid.gain == gain and run.grid.lr == lr then plain[run.grid.seed] = level4(run) end
           end
           return function(run)
             local p, f = plain[run.grid.seed], level4(run)
             return (p and f) and (p - f) or nil
           end
         end
         local a = M.values(d.fig4_floss_eprop, low, help(low))
         local b = M.values(d.fig4_floss_eprop, ref, help(ref))
         local test = M.greater(a, b)
         local function show(xs) return #xs > 0 and (g(M.mean(xs)) .. " ± " .. g(M.sd(xs)) .. " (n = " .. #xs .. ")") or "-" end
         test.text = string.format("decrease of log10 loss by flossing: gain %s %s, gain %s %s; %s",
                                   g(low), show(a), g(ref), show(b), test.text)
         return { test }
       end }
  -- Fig. 4, the method's own claim: 100 flossing iterations move the max
  -- Lyapunov exponent toward 0 (lyapunov_max_final: the floss phase's
  -- monitor at its last iteration).
  add{ id = "fig4.le_toward_zero", figure = "4", sweeps = { "fig4_floss_eprop" }, setting = "Romo, flossing",
       claim = "100 flossing iterations bring the max Lyapunov exponent closer to 0 at the suboptimal gain " .. g(low),
       evaluate = function(d)
         local function distance(key)
           return function(run) local v = M.scalar(key)(run) return v and math.abs(v) end
         end
         return { M.part{ sweep_a = d.fig4_floss_eprop, gain_a = low, gain_b = low,
                          measure = distance("lyapunov_max_before"), measure_b = distance("lyapunov_max_final"),
                          label_a = "|before|", label_b = "|after flossing|" } }
       end }
  -- Fig. 5: gain 0.2 against the intermediate gains.
  for _, r in ipairs{ { "bptt", "BPTT" }, { "eprop", "e-prop" } } do
    local sweep = "fig5_romo_" .. r[1]
    add{ id = "fig5." .. r[1], figure = "5", sweeps = { sweep }, setting = "Romo, " .. r[2],
         claim = "gain " .. g(low) .. " is clearly worse before convergence than each of the gains " ..
                 table.concat(opts.fig5_gains or { 0.3, 0.4, 0.5, 0.6 }, ", ") .. ", with the learning rate tuned per gain",
         evaluate = function(d)
           local parts = {}
           for _, gain in ipairs(opts.fig5_gains or { 0.3, 0.4, 0.5, 0.6 }) do
             parts[#parts + 1] = slower(d[sweep], low, gain, opts.from)
           end
           return parts
         end }
  end
  -- Ablations re-test a subset of the claims under another setting.
  if opts.only or opts.variant then
    local kept = {}
    for _, c in ipairs(list) do
      local keep = not opts.only
      for _, prefix in ipairs(opts.only or {}) do
        if c.id:sub(1, #prefix) == prefix then keep = true end
      end
      if keep then
        if opts.variant then
          c.id = c.id .. "@" .. opts.variant
          c.setting = c.setting .. ", " .. (opts.variant_label or opts.variant)
        end
        kept[#kept + 1] = c
      end
    end
    list = kept
  end
  return list
end

-- Evaluates every claim whose sweeps are in `data`; rows in list order.
function M.evaluate(list, data)
  local rows = {}
  for _, c in ipairs(list) do
    local missing = {}
    local unread = {}
    for _, s in ipairs(c.sweeps) do
      if not data[s] then missing[#missing + 1] = s
      elseif data[s].error then unread[#unread + 1] = s .. " (" .. data[s].error .. ")" end
    end
    local row = { id = c.id, figure = c.figure, claim = c.claim, setting = c.setting }
    if #missing > 0 then
      row.verdict, row.numbers = "inconclusive", "not run: " .. table.concat(missing, ", ")
    elseif #unread > 0 then
      row.verdict, row.numbers = "inconclusive", "cannot read: " .. table.concat(unread, "; ")
    else
      local parts = c.evaluate(data)
      row.verdict = M.combine(parts)
      local texts = {}
      for _, p in ipairs(parts) do texts[#texts + 1] = "[" .. p.verdict .. "] " .. p.text end
      row.numbers = table.concat(texts, " | ")
    end
    rows[#rows + 1] = row
  end
  return rows
end

-- Reads the sweeps a list of claims needs from `root` (those that exist).
-- `dirs` maps a sweep's name in the claims (e.g. "fig1_romo_eprop") to
-- another folder under root (an ablation's); by default the name itself.
function M.load(list, root, dirs)
  local data = {}
  for _, c in ipairs(list) do
    for _, s in ipairs(c.sweeps) do
      if data[s] == nil then
        local ok, r = pcall(lab.results, root .. "/" .. ((dirs and dirs[s]) or s), { by = "gain", select = "lr" })
        -- A sweep not run is left out; one that cannot be read is named
        -- with the reason in the claims it leaves undecided.
        local f = io.open(root .. "/" .. ((dirs and dirs[s]) or s) .. "/sweep.json")
        if f then f:close() end
        data[s] = ok and r or (f and { error = tostring(r) } or false)
      end
    end
  end
  for k, v in pairs(data) do if not v then data[k] = nil end end
  return data
end

local function csv_field(s)
  s = tostring(s)
  if s:find('[",\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

function M.write_csv(path, rows)
  local f = assert(io.open(path, "w"))
  f:write("claim,figure,setting,verdict,statement,numbers\n")
  for _, r in ipairs(rows) do
    f:write(table.concat({ csv_field(r.id), csv_field(r.figure), csv_field(r.setting), csv_field(r.verdict),
                           csv_field(r.claim), csv_field(r.numbers) }, ","), "\n")
  end
  f:close()
end

-- The claims as a Markdown table.
function M.markdown(rows)
  local out = { "| claim | fig. | setting | verdict | statement | numbers |", "|---|---|---|---|---|---|" }
  for _, r in ipairs(rows) do
    local function cell(text) return (text:gsub("|", "\\|")) end
    out[#out + 1] = string.format("| `%s` | %s | %s | **%s** | %s | %s |", r.id, r.figure, r.setting, r.verdict,
                                  cell(r.claim), cell(r.numbers))
  end
  return table.concat(out, "\n")
end

-- A Markdown table of one scalar per sweep (rows) and gain (columns):
-- mean ± std over seeds at the chosen learning rate.
function M.scalar_table(data, sweeps, key, digits)
  local gains, seen = {}, {}
  for _, name in ipairs(sweeps) do
    for gain in pairs(data[name] and data[name].best or {}) do
      if not seen[gain] then seen[gain], gains[#gains + 1] = true, gain end
    end
  end
  table.sort(gains)
  if #gains == 0 then return nil end
  local fmt = "%." .. (digits or 3) .. "g"
  local head, rule = { "| sweep |" }, { "|---|" }
  for _, gain in ipairs(gains) do head[#head + 1] = " gain " .. g(gain) .. " |"; rule[#rule + 1] = "---|" end
  local out = { table.concat(head), table.concat(rule) }
  for _, name in ipairs(sweeps) do
    if data[name] and not data[name].error then
      local row = { "| " .. name .. " |" }
      for _, gain in ipairs(gains) do
        local xs = M.values(data[name], gain, M.scalar(key))
        row[#row + 1] = #xs > 0 and string.format(" " .. fmt .. " ± " .. fmt .. " |", M.mean(xs), M.sd(xs)) or " – |"
      end
      out[#out + 1] = table.concat(row)
    end
  end
  return table.concat(out, "\n")
end

-- report.md: the verdict counts, the claims table, the figures and notes.
-- info = { title, mode, seconds, figures = { "figures/x.png", ... },
--          sections = { { title =, text = }, ... }, notes = { "...", ... } }
function M.write_report(path, rows, info)
  local count = { reproduced = 0, partly = 0, ["not"] = 0, inconclusive = 0 }
  for _, r in ipairs(rows) do count[r.verdict] = count[r.verdict] + 1 end
  local out = {
    "# " .. info.title, "",
    string.format("Mode: %s. Wall time: %d s. rnnlab %s.", info.mode, info.seconds or 0, lab.version), "",
    string.format("Of %d claims: %d reproduced, %d partly, %d not reproduced, %d inconclusive. " ..
                  "Every verdict is computed from this run's sweeps by scripts/paper/claims.lua; " ..
                  "a claim the data refuse is reported as such.", #rows, count.reproduced, count.partly,
                  count["not"], count.inconclusive), "",
    "## Claims", "", M.markdown(rows), "",
  }
  for _, section in ipairs(info.sections or {}) do
    out[#out + 1] = "## " .. section.title
    out[#out + 1] = ""
    out[#out + 1] = section.text
    out[#out + 1] = ""
  end
  if info.notes and #info.notes > 0 then
    out[#out + 1] = "## Notes"
    out[#out + 1] = ""
    for _, n in ipairs(info.notes) do out[#out + 1] = "- " .. n end
    out[#out + 1] = ""
  end
  if info.figures and #info.figures > 0 then
    out[#out + 1] = "## Figures"
    out[#out + 1] = ""
    for _, f in ipairs(info.figures) do
      out[#out + 1] = string.format("![%s](%s)", f:match("([^/]+)%.png$") or f, f)
      out[#out + 1] = ""
    end
  end
  local f = assert(io.open(path, "w"))
  f:write(table.concat(out, "\n"), "\n")
  f:close()
end

return M
