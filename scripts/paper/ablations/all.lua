-- Ablations: the settings the paper leaves open, each rerun with the
-- alternative and its claims re-tested (docs/reproduction.md, "Ablations").
--   rnnlab run scripts/paper/ablations/all.lua --set quick=1 [--out results/paper]
--   rnnlab run scripts/paper/ablations/all.lua --set only=trace_leak
-- Sweeps and figures go to <out>/ablations/<name>/, the claims of all of
-- them to <out>/ablations/claims.csv and report.md. Ablations of Fig. 4
-- compare with the main run's e-prop sweep (<out>/fig4_eprop), which they
-- run first if it is missing.
local here = (...):match("(.*/)") or "./"
local paper_dir = here .. "../"
local paper = dofile(paper_dir .. "common.lua")
local claims = dofile(paper_dir .. "claims.lua")
local start = os.time()

-- name: folder, and appended to the claims' ids; label: to their
-- settings; the rest: see
-- common.lua's configure. figures: the scripts rerun; claims: the id
-- prefixes re-tested; main: sweeps taken from the main run.
local variants = {
  { name = "trace_leak", label = "trace=leak", rules = { eprop = { trace = "leak" } }, only = { rules = { "eprop" } },
    figures = { "fig1", "fig3", "fig4", "fig5" },
    claims = { "fig1.eprop", "fig3.after_eprop", "fig3.change_eprop", "fig4.", "fig5.eprop" },
    why = "e-prop's trace: the paper's hidden.detach() read as a whole-state detach (trace = none, the main run) " ..
          "or as RFLO's leaky trace (trace = leak), which the paper's RFLO-equivalence sentence supports" },
  { name = "streaming", label = "sequence=100", tasks = { ["2af"] = { sequence = 100 }, dms = { sequence = 100 } },
    figures = { "fig2" }, claims = { "fig2." },
    why = "2AF and DMS trials streamed back to back and cut into 100-step sequences, as the primer's Dataset does " ..
          "(the main run: one trial per sequence)" },
  { name = "dms_short", label = "DMS timing 100/500/100/100 ms",
    tasks = { dms = { sample = 100, delay = 500, test = 100, decision = 100 } }, only = { tasks = { "dms" } },
    figures = { "fig2" }, claims = { "fig2.dms" },
    why = "DMS with sample 100, delay 500, test 100, decision 100 ms (8 steps) instead of Neurogym's defaults: " ..
          "at alpha = 0 e-prop's trace holds one step, while the default timing asks to hold the sample 16 steps" },
}
for _, lr in ipairs{ 1e-4, 1e-3, 1e-2 } do
  variants[#variants + 1] = {
    name = "floss_lr=" .. lr, label = "floss lr=" .. lr, grid = { ["phase1.lr"] = { lr } }, gains = { 0.2, 1.0 },
    only = { sweeps = { "fig4_floss_eprop" } }, figures = { "fig4" }, claims = { "fig4." }, main = { "fig4_eprop" },
    why = "the flossing phase's learning rate on its own grid (the main run floss at the e-prop learning rate)" }
end
for _, k in ipairs{ 1, 8 } do
  variants[#variants + 1] = {
    name = "floss_k=" .. k, label = "floss k=" .. k, floss = { exponents = k }, gains = { 0.2, 1.0 },
    only = { sweeps = { "fig4_floss_eprop" } }, figures = { "fig4" }, claims = { "fig4." }, main = { "fig4_eprop" },
    why = "the number of flossed Lyapunov exponents (the main run: k = N/2 = 32)" }
end

local chosen = lab.args.only
local rows, notes = {}, {}
local root = paper.root
for _, v in ipairs(variants) do
  if chosen == nil or chosen == v.name then
    if paper.lead then print("== ablation " .. v.name) end
    if v.main then
      -- The main run's sweeps this ablation compares with.
      for _, fig in ipairs(v.figures) do
        assert(loadfile(paper_dir .. fig .. ".lua"))(paper_dir .. fig .. ".lua",
                                                     { only = { sweeps = v.main } })
      end
    end
    for _, fig in ipairs(v.figures) do
      assert(loadfile(paper_dir .. fig .. ".lua"))(paper_dir .. fig .. ".lua", v)
    end
    if paper.lead then
      local list = claims.paper{ from = paper.from, from4 = paper.from4, only = v.claims, variant = v.name,
                                      variant_label = v.label }
      local dirs = {}
      for _, c in ipairs(list) do
        for _, s in ipairs(c.sweeps) do dirs[s] = "ablations/" .. v.name .. "/" .. s end
      end
      for _, s in ipairs(v.main or {}) do dirs[s] = s end
      for _, r in ipairs(claims.evaluate(list, claims.load(list, root, dirs))) do
        rows[#rows + 1] = r
        print(string.format("  %-40s %s", r.id, r.verdict))
      end
      notes[#notes + 1] = string.format("`%s` (%s): %s.", v.name, v.label, v.why)
    end
  end
end
if chosen and #notes == 0 and paper.lead then
  local names = {}
  for _, v in ipairs(variants) do names[#names + 1] = v.name end
  error("unknown ablation '" .. tostring(chosen) .. "'; choose one of: " .. table.concat(names, ", "))
end

if paper.lead then
  local out = root .. "/ablations"
  lab.mkdir(out)
  claims.write_csv(out .. "/claims.csv", rows)
  local figures = {}
  for _, png in ipairs(paper.written) do
    local rel = png:match("/ablations/(.+)$")
    if rel then figures[#figures + 1] = rel end
  end
  claims.write_report(out .. "/report.md", rows, {
    title = "Ablations of the reproduction: the settings the paper leaves open",
    mode = paper.smoke and "smoke" or (paper.quick and "quick" or "full"),
    seconds = os.time() - start, figures = figures, notes = notes })
  print(string.format("ablations in %d s; see %s/report.md", os.time() - start, out))
end
