-- Output paths may hold quotes, spaces and shell syntax: gnuplot gets them
-- quoted, and no shell ever sees them.
local task = lab.task("romo", {})
local dir = lab.args.out .. "/it's a \"dir\"; $(touch pwned)"
local png = lab.plot.trial(task, nil, { out = dir .. "/trial" })
print("wrote " .. png)
