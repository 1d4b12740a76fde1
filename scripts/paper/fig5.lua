-- Fig. 5: Fig. 1 with more intermediate gains. Claim: gain 0.2 is clearly
-- worse before convergence, even with the learning rate tuned per gain.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua").configure(select(2, ...))

local gains = {}
for _, g in ipairs(paper.gains) do gains[#gains + 1] = g end
for _, g in ipairs(paper.more_gains) do gains[#gains + 1] = g end
table.sort(gains)
for _, rule in ipairs{ "bptt", "eprop" } do
  if paper.wanted("rules", rule) then
    local dir = paper.sweep("fig5_romo_" .. rule, "romo", { paper.phase(rule, paper.iterations) }, gains)
    paper.curves(dir, "fig5_romo_" .. rule, "Romo, " .. rule .. ", ten gains", paper.from)
  end
end
