-- Fig. 3: max Lyapunov exponent before and after training versus gain
-- (Romo, BPTT and e-prop). Claim: before training small gains are far
-- below 0; after training all are near 0. Reuses Fig. 1's sweeps.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua")

lab.mkdir(paper.figures)
for _, rule in ipairs{ "bptt", "eprop" } do
  local dir = paper.sweep("fig1_romo_" .. rule, "romo", { paper.phase(rule, paper.iterations) })
  if not paper.lead then goto next end
  local png = lab.plot.lyapunov{ sweep = dir, out = paper.figures .. "/fig3_lyapunov_" .. rule, by = "gain",
                                 select = "lr", title = "Romo, " .. rule .. ": max Lyapunov exponent (per step)" }
  paper.wrote(png)
  ::next::
end
