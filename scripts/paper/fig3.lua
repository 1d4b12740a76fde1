-- Fig. 3: max Lyapunov exponent before and after training versus gain
-- (Romo, BPTT and e-prop). Claim: before training small gains are far
-- below 0; after training all are near 0. Reuses Fig. 1's sweeps.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua").configure(select(2, ...))

lab.mkdir(paper.figures)
for _, rule in ipairs{ "bptt", "eprop" } do
  if paper.wanted("rules", rule) then
    local dir = paper.sweep("fig1_romo_" .. rule, "romo", { paper.phase(rule, paper.iterations) })
    if paper.lead then
      paper.wrote(lab.plot.lyapunov{ sweep = dir, out = paper.figures .. "/fig3_lyapunov_" .. rule, by = "gain",
                                     select = "lr", title = "Romo, " .. rule .. ": max Lyapunov exponent (per step)" })
    end
  end
end
