-- Fig. 4: e-prop with and without 100 iterations of gradient flossing
-- first. Claim: flossing helps, most at suboptimal gains.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua").configure(select(2, ...))

local n = paper.eprop_after_floss
if paper.wanted("sweeps", "fig4_eprop") then
  local plain = paper.sweep("fig4_eprop", "romo", { paper.phase("eprop", paper.floss_iterations + n) })
  paper.curves(plain, "fig4_eprop", "Romo, e-prop without flossing", paper.from4)
end
if paper.wanted("sweeps", "fig4_floss_eprop") then
  local flossed = paper.sweep("fig4_floss_eprop", "romo", {
    -- The max Lyapunov exponent at the end of flossing (summary.csv:
    -- lyapunov_max_final), beside the accuracy.
    { rule = "floss", params = paper.floss, iterations = paper.floss_iterations,
      monitor = { paper.monitor[1], { "lyapunov", paper.lyapunov[2], every = paper.floss_iterations } } },
    paper.phase("eprop", n),
  })
  paper.curves(flossed, "fig4_floss_eprop", "Romo, 100 flossing iterations, then e-prop", paper.from4)
end
