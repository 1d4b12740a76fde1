-- The whole reproduction: Figs. 1-5.
--   rnnlab run scripts/paper/all.lua --set quick=1   (a few minutes)
--   rnnlab run scripts/paper/all.lua                 (the paper's settings)
local here = (...):match("(.*/)") or "./"
local start = os.time()
for _, fig in ipairs{ "fig1", "fig2", "fig3", "fig4", "fig5" } do
  print("== " .. fig)
  assert(loadfile(here .. fig .. ".lua"))(here .. fig .. ".lua")
end
print(string.format("all figures in %d s; see %s/figures", os.time() - start, lab.args.out or "results/paper"))
