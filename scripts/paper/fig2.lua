-- Fig. 2: the same on 2AF perceptual decision making and delayed
-- match-to-sample, one trial per sequence. Claim: the gain trends of Fig. 1
-- hold on other tasks.
local here = (...):match("(.*/)") or "./"
local paper = dofile(here .. "common.lua").configure(select(2, ...))

for _, task in ipairs{ "2af", "dms" } do
  for _, rule in ipairs{ "bptt", "eprop" } do
    if paper.wanted("tasks", task) and paper.wanted("rules", rule) then
      local name = "fig2_" .. task .. "_" .. rule
      local dir = paper.sweep(name, task, { paper.phase(rule, paper.iterations) })
      -- alpha = 0 here: gains above sqrt(2) are supercritical (common.lua).
      local sequence = paper.tasks[task][2].sequence
      local how = sequence and ("trials streamed into " .. sequence .. "-step sequences") or "one trial per sequence"
      paper.curves(dir, name, task:upper() .. ", " .. rule .. ", " .. how .. " (gains > 1.41: supercritical)", 0, task)
    end
  end
end
