-- Beyond the paper: curvature and generalisation (Liu et al. 2022, the
-- paper's seed; paper.md §7). After training on Romo with BPTT, e-prop and
-- RFLO across gains, the top eigenvalue of the loss Hessian with respect to
-- the weights and a generalisation gap; claims: the bio-plausible rules
-- reach higher curvature and generalise worse.
--   rnnlab run scripts/paper/curvature.lua --set quick=1 [--out results/paper]
-- Writes <out>/curvature/claims.csv, report.md, curvature.csv and figures.
--
-- Choices of this project (docs/reproduction.md):
--  - held-out conditions: Romo trials with delays of 800-1100 ms, longer than
--    every trained delay (200-800 ms); the gap is the loss on them minus the
--    loss on fresh trials of the training distribution (4 batches each);
--  - the Hessian of the task loss with respect to all weights (the
--    analysis `hessian`, power iteration on Hessian-vector products of the
--    exact BPTT gradient, on one batch), whatever rule trained the network;
--  - e-prop as in the main run (symmetric feedback, trace none); RFLO with
--    its random feedback and leaky trace.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua")
local claims = dofile(here .. "claims.lua")
local start = os.time()
paper.root = paper.root .. "/curvature"
paper.figures = paper.root .. "/figures"

local rules = { { "bptt", "BPTT" }, { "eprop", "e-prop" }, { "rflo", "RFLO" } }
paper.rules.rflo = { "rflo", {} }
local heldout = lab.task("romo", { batch = 32, delay_min = 800, delay_max = 1100 })
local hessian = { "hessian", { eigenvalues = 1, samples = 0, iterations = paper.smoke and 20 or 500 } }
local test_loss = { "loss", { batches = 4 } }
local gains = paper.smoke and paper.gains or { 0.2, 0.5, 1.0, 1.5 }

local data = {}
for _, r in ipairs(rules) do
  local name = "curvature_" .. r[1]
  local out = paper.root .. "/" .. name
  local s = lab.sweep{
    out = out, task = paper.tasks.romo, network = paper.network, grid = paper.grid(gains),
    protocol = { paper.phase(r[1], paper.iterations) }, optimizer = "adam",
    analyses = { after = { hessian, test_loss } }, log_every = paper.log_every,
  }
  if paper.lead then
    print(string.format("%-28s %3d runs (%d new, %d diverged) in %.1f s", name, s.runs, s.completed, s.diverged, s.seconds))
    -- The held-out loss of every run at its gain's chosen learning rate.
    local results = lab.results(out, { by = "gain", select = "lr" })
    local loss = lab.analysis("loss", { batches = 4 })
    for _, run in ipairs(results.runs) do
      if not run.diverged and run.grid.lr == results.best[run.grid.gain] then
        local net = lab.load_network(out .. "/runs/" .. run.id .. ".h5")
        run.scalars.heldout_loss = loss:run(net, heldout).loss
        run.scalars.gap = run.scalars.heldout_loss - run.scalars.loss_loss_after
      end
    end
    data[name] = results
  end
end
if not paper.lead then return end

-- curvature.csv: one row per gain and rule (mean and std over seeds).
lab.mkdir(paper.figures)
local csv = assert(io.open(paper.root .. "/curvature.csv", "w"))
csv:write("rule,gain,lr,seeds,hessian_top_mean,hessian_top_std,test_loss_mean,heldout_loss_mean,gap_mean,gap_std\n")
for _, r in ipairs(rules) do
  local d = data["curvature_" .. r[1]]
  for _, g in ipairs(gains) do
    local top = claims.values(d, g, claims.scalar("hessian_top_after"))
    local test = claims.values(d, g, claims.scalar("loss_loss_after"))
    local held = claims.values(d, g, claims.scalar("heldout_loss"))
    local gap = claims.values(d, g, claims.scalar("gap"))
    local function m(xs) return #xs > 0 and string.format("%.6g", claims.mean(xs)) or "nan" end
    local function sd(xs) return #xs > 0 and string.format("%.6g", claims.sd(xs)) or "nan" end
    csv:write(string.format("%s,%s,%s,%d,%s,%s,%s,%s,%s,%s\n", r[1], g, tostring(d.best[g]), #top, m(top), sd(top),
                            m(test), m(held), m(gap), sd(gap)))
  end
end
csv:close()

-- Claims: per gain, e-prop (and RFLO) against BPTT.
local list = {}
for _, r in ipairs{ { "eprop", "e-prop" }, { "rflo", "RFLO" } } do
  for _, m in ipairs{ { "curvature", "hessian_top_after", "the top Hessian eigenvalue is higher after %s than after BPTT" },
                      { "generalisation", "gap", "the generalisation gap is larger after %s than after BPTT" } } do
    local sweep = "curvature_" .. r[1]
    list[#list + 1] = {
      id = m[1] .. "." .. r[1], figure = "Liu 2022", sweeps = { sweep, "curvature_bptt" },
      setting = "Romo, " .. r[2] .. " vs BPTT, gains " .. table.concat(gains, ", "),
      claim = string.format(m[3], r[2]) .. ", at every gain",
      evaluate = function(d)
        local parts = {}
        for _, g in ipairs(gains) do
          parts[#parts + 1] = claims.part{ sweep_a = d[sweep], gain_a = g, sweep_b = d.curvature_bptt, gain_b = g,
                                           measure = claims.scalar(m[2]),
                                           label_a = r[2] .. " at gain " .. g, label_b = "BPTT" }
        end
        return parts
      end }
  end
end
local rows = claims.evaluate(list, data)
for _, r in ipairs(rows) do print(string.format("  %-26s %s", r.id, r.verdict)) end
claims.write_csv(paper.root .. "/claims.csv", rows)
claims.write_report(paper.root .. "/report.md", rows, {
  title = "Curvature and generalisation after BPTT, e-prop and RFLO (Liu et al. 2022)",
  mode = paper.smoke and "smoke" or (paper.quick and "quick" or "full"), seconds = os.time() - start,
  notes = {
    "Held-out conditions: Romo with delays of 800-1100 ms (trained: 200-800 ms). Gap = held-out loss - loss on " ..
    "fresh trials of the training distribution, 4 batches of 32 each, at the learning rate chosen per gain.",
    "Curvature: top eigenvalue (with its sign) of the Hessian of the task loss with respect to all weights, " ..
    "by power iteration on one batch (analysis `hessian`).",
    "Per gain and rule: curvature.csv.",
  } })
print(string.format("curvature in %d s; see %s/report.md", os.time() - start, paper.root))
