-- Fig. 4: e-prop with and without 100 iterations of gradient flossing
-- first. Claim: flossing helps, most at suboptimal gains.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua")

local n = paper.eprop_after_floss
local plain = paper.sweep("fig4_eprop", "romo", { paper.phase("eprop", paper.floss_iterations + n) })
local flossed = paper.sweep("fig4_floss_eprop", "romo", {
  -- Flossing k = N/2 exponents on 8 trial windows per batch (a quarter of
  -- the batch: 4x cheaper, nearly the same shift of the max LE).
  { rule = "floss", params = { trials = 8 }, iterations = paper.floss_iterations },
  paper.phase("eprop", n),
})
paper.curves(plain, "fig4_eprop", "Romo, e-prop without flossing", paper.from4)
paper.curves(flossed, "fig4_floss_eprop", "Romo, 100 flossing iterations, then e-prop", paper.from4)
