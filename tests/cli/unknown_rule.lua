-- A misspelt rule name: the error names line 3 and lists the rules.
local task = lab.task("romo", { batch = 4 })
local rule = lab.rule("bpt")
print(task, rule)
