-- A syntax error on line 3: nothing runs, the parser names file:line.
local task = lab.task("romo", { batch = 4 })
local x = = 1
print(task, x)
