-- Fig. 1: Romo, loss curves versus initial gain for BPTT (B) and e-prop (C).
-- Claim: the gain strongly changes learning for both rules.
-- An ablation passes a variant as the second argument (common.lua).
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua").configure(select(2, ...))

for _, rule in ipairs{ "bptt", "eprop" } do
  if paper.wanted("rules", rule) then
    local dir = paper.sweep("fig1_romo_" .. rule, "romo", { paper.phase(rule, paper.iterations) })
    paper.curves(dir, "fig1_romo_" .. rule, "Romo, " .. rule .. " (best lr per gain, mean ± std over seeds)", paper.from)
  end
end
