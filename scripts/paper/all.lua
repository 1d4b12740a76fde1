-- The whole reproduction: Figs. 1-5, then the paper's claims computed from
-- the sweeps (claims.csv) and a report (report.md) in the results root.
--   rnnlab run scripts/paper/all.lua --set quick=1   (about a minute and a half)
--   rnnlab run scripts/paper/all.lua                 (5 seeds, 4 learning rates, 2000 iterations)
local here = (...):match("(.*/)") or "./"
local start = os.time()
for _, fig in ipairs{ "fig1", "fig2", "fig3", "fig4", "fig5" } do
  print("== " .. fig)
  assert(loadfile(here .. fig .. ".lua"))(here .. fig .. ".lua")
end

local paper = dofile(here .. "common.lua")
if paper.lead then
  print("== claims")
  local claims = dofile(here .. "claims.lua")
  local list = claims.paper{ from = paper.from, from4 = paper.from4 }
  local data = claims.load(list, paper.root)
  local rows = claims.evaluate(list, data)
  for _, r in ipairs(rows) do print(string.format("  %-26s %-13s %s", r.id, r.verdict, r.setting)) end
  claims.write_csv(paper.root .. "/claims.csv", rows)
  local figures = {}
  for _, png in ipairs(paper.written) do
    figures[#figures + 1] = "figures/" .. png:match("([^/]+)$")
  end
  local mode = paper.smoke and "smoke (seconds; every verdict is meaningless)" or
               (paper.quick and "quick (2 seeds: many claims cannot be decided)" or "full")
  claims.write_report(paper.root .. "/report.md", rows, {
    title = "Reproduction report: How Initial Connectivity Shapes Biologically Plausible Learning in RNNs",
    mode = mode, seconds = os.time() - start, figures = figures,
    sections = (function()
      local sweeps = { "fig1_romo_bptt", "fig1_romo_eprop", "fig2_2af_bptt", "fig2_2af_eprop", "fig2_dms_bptt",
                       "fig2_dms_eprop", "fig4_eprop", "fig4_floss_eprop" }
      local more = claims.load({ { sweeps = sweeps } }, paper.root)
      local levels = {}
      for _, t in ipairs{ "romo", "2af", "dms" } do
        levels[#levels + 1] = string.format("%s %.4g", t, paper.constant_level(t))
      end
      local out = {
        { title = "Accuracy at the end of training (%)",
          text = "The accuracy monitor's last value (held-out evaluation batch; chance 50%), at the learning rate " ..
                 "chosen per gain by final loss. The loss of the same answer on every trial, the level of a " ..
                 "network that learned nothing of the task: " .. table.concat(levels, ", ") .. ".\n\n" ..
                 (claims.scalar_table(more, sweeps, "accuracy_accuracy_final") or "(no accuracy monitored)") },
        { title = "Fig. 4: max Lyapunov exponent before and after the 100 flossing iterations (per step)",
          text = "Before: " .. "\n\n" ..
                 (claims.scalar_table(more, { "fig4_floss_eprop" }, "lyapunov_max_before") or "–") ..
                 "\n\nAfter flossing (the floss phase's monitor):\n\n" ..
                 (claims.scalar_table(more, { "fig4_floss_eprop" }, "lyapunov_max_final") or "–") },
      }
      return out
    end)(),
    notes = {
      "Settings the paper states and the choices of this project: docs/reproduction.md, \"Settings\".",
      "2AF and DMS run at alpha = 0 (dt = tau = 100 ms), where gains above sqrt(2) = 1.41 make the " ..
      "untrained ReLU network supercritical; their curves are drawn but the claims compare gains 0.2 and 1.",
      string.format("Curve measure: mean log10 loss of the logged points from iteration %d (Fig. 4: %d), " ..
                    "at the learning rate with the lowest mean final loss per gain.", paper.from, paper.from4),
    },
  })
  print(string.format("  wrote %s/claims.csv and %s/report.md", paper.root, paper.root))
end
print(string.format("all figures and claims in %d s; see %s/report.md", os.time() - start, paper.root))
