-- A misspelt task name: the error names line 3 and lists the tasks.
local rule = lab.rule("bptt")
local task = lab.task("rommo", { batch = 4 })
print(task, rule)
