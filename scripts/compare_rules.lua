-- Every learning rule of rnnlab on the same networks and task: Romo, gains
-- 0.2, 0.5, 1 and 1.5, trained with BPTT, RTRL, UORO, SnAp-1, e-prop (both
-- traces), RFLO and node perturbation. Along training the cosine of each
-- rule's gradient with BPTT's (the gradient_alignment monitor, on a
-- held-out batch); at the end the max Lyapunov exponent and the
-- weight-change measures. docs/rules-compared.md shows and reads it.
--   rnnlab run scripts/compare_rules.lua --set quick=1   (N = 32, 1 seed, 300 iterations)
--   rnnlab run scripts/compare_rules.lua                 (N = 32, 3 seeds, 2000 iterations, 2 lrs)
--   --out DIR (default results/rules)
local quick = lab.args.quick == 1 or lab.args.quick == true
local smoke = lab.args.smoke == 1 or lab.args.smoke == true
if smoke then quick = true end
local root = lab.args.out or "results/rules"
-- Per-gain values at the chosen learning rate, and their mean.
local claims = dofile(((...):match("(.*/)") or "./") .. "paper/claims.lua")
local lead = lab.rank == 0

-- Choices of this script. RTRL costs O(N^4) per step: at N = 64 one
-- iteration takes about 0.6 s, and the full grid's 48 000 RTRL iterations
-- would take 8 CPU hours; at N = 32 (1/16 of that) the full mode runs in
-- about 20 minutes on 2 cores.
local N = smoke and 8 or 32
local gains = smoke and { 0.5, 1.5 } or { 0.2, 0.5, 1.0, 1.5 }
local seeds = (quick or smoke) and { 1 } or { 1, 2, 3 }
local lrs = (quick or smoke) and { 1e-3 } or { 1e-3, 3e-3 }
local iterations = smoke and 10 or (quick and 300 or 2000)
local every = smoke and 5 or (quick and 50 or 100)

local rules = {
  { name = "bptt", rule = "bptt", params = {}, label = "BPTT" },
  { name = "rtrl", rule = "rtrl", params = {}, label = "RTRL" },
  { name = "uoro", rule = "uoro", params = {}, label = "UORO" },
  { name = "snap", rule = "snap", params = {}, label = "SnAp-1" },
  { name = "eprop_none", rule = "eprop", params = { trace = "none" }, label = "e-prop (trace none)" },
  { name = "eprop_leak", rule = "eprop", params = { trace = "leak" }, label = "e-prop (trace leak)" },
  { name = "rflo", rule = "rflo", params = {}, label = "RFLO" },
  { name = "node_perturbation", rule = "node_perturbation", params = {}, label = "node perturbation" },
}

local function params_text(params)
  local keys = {}
  for k in pairs(params) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. tostring(params[k]) end
  return table.concat(parts, ", ")
end

local start = os.time()
local level = lab.task("romo", { batch = 32 }):constant_loss()
lab.mkdir(root .. "/figures")
local results = {}
for _, r in ipairs(rules) do
  local out = root .. "/" .. r.name
  local s = lab.sweep{
    out = out, task = { "romo", { batch = 32 } }, network = { hidden = N, tau = 100 },
    grid = { gain = gains, seed = seeds, lr = lrs },
    protocol = { { rule = r.rule, params = r.params, iterations = iterations } },
    optimizer = "adam",
    monitor = { { "gradient_alignment", { rule = r.rule, rule_params = params_text(r.params) }, every = every } },
    analyses = { after = { { "lyapunov", { exponents = 1, steps = smoke and 100 or 500 } }, "weight_change" } },
    log_every = every,
  }
  if lead then
    print(string.format("%-20s %3d runs (%d new, %d diverged) in %.1f s", r.name, s.runs, s.completed, s.diverged,
                        s.seconds))
    print("  wrote " .. lab.plot.curves{ sweep = out, out = root .. "/figures/" .. r.name, by = "gain", select = "lr",
                                         title = "Romo, " .. r.label .. ", N = " .. N, level = level,
                                         level_title = "same answer on every trial" })
    print("  wrote " .. lab.plot.curves{ sweep = out, out = root .. "/figures/" .. r.name .. "_alignment", by = "gain",
                                         select = "lr", value = "gradient_alignment.all", log_y = false,
                                         title = "Romo, " .. r.label .. ": cosine of its gradient with BPTT's" })
    results[r.name] = lab.results(out, { by = "gain", select = "lr" })
  end
end
if not lead then return end

-- One table: per rule and gain, means over seeds at the chosen lr.
local columns = {
  { "final loss", function(run) return run.final_loss end },
  { "cosine with BPTT (end)", function(run) return run.scalars.gradient_alignment_all_final end },
  { "max LE after (per step)", function(run) return run.scalars.lyapunov_max_after end },
  { "‖ΔW_h‖ / ‖W_h(0)‖", function(run) return run.scalars.weight_change_W_h_change_after end },
  { "eff. rank of ΔW_h", function(run) return run.scalars.weight_change_W_h_delta_effective_rank_after end },
  { "sign agreement", function(run) return run.scalars.weight_change_W_h_sign_agreement_after end },
  { "kernel alignment (CKA)", function(run) return run.scalars.weight_change_kernel_alignment_after end },
}
local csv = assert(io.open(root .. "/rules.csv", "w"))
local head = { "rule", "gain", "lr", "seeds" }
for _, c in ipairs(columns) do head[#head + 1] = '"' .. c[1] .. '"' end
csv:write(table.concat(head, ","), "\n")
local md = { "| rule | gain |", "|---|---|" }
for _, c in ipairs(columns) do md[1], md[2] = md[1] .. " " .. c[1] .. " |", md[2] .. "---|" end
for _, r in ipairs(rules) do
  local d = results[r.name]
  for _, g in ipairs(gains) do
    local cells, row = {}, { r.name, tostring(g), tostring(d.best[g]) }
    local n = 0
    for _, c in ipairs(columns) do
      -- The runs of this gain at its chosen lr that did not diverge, NaN left out.
      local xs = claims.values(d, g, function(run)
        local v = not run.diverged and c[2](run) or nil
        return v == v and v or nil
      end)
      n = math.max(n, #xs)
      row[#row + 1] = #xs > 0 and string.format("%.6g", claims.mean(xs)) or "nan"
      cells[#cells + 1] = #xs > 0 and string.format("%.3g", claims.mean(xs)) or "–"
    end
    table.insert(row, 4, tostring(n))
    csv:write(table.concat(row, ","), "\n")
    md[#md + 1] = "| " .. r.label .. " | " .. g .. " | " .. table.concat(cells, " | ") .. " |"
  end
end
csv:close()
local f = assert(io.open(root .. "/report.md", "w"))
f:write(string.format("# Rules compared on Romo (N = %d, %s)\n\n", N, smoke and "smoke" or (quick and "quick" or "full")),
        string.format("%d iterations, gains %s, seeds %s, learning rates %s (chosen per gain by final loss); " ..
                      "wall time %d s. The loss of the same answer on every trial: %.4g.\n\n",
                      iterations, table.concat(gains, ", "), table.concat(seeds, ", "), table.concat(lrs, ", "),
                      os.time() - start, level),
        table.concat(md, "\n"), "\n")
f:close()
print(string.format("rules compared in %d s; see %s/report.md", os.time() - start, root))
