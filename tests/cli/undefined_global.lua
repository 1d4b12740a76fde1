-- Reading a misspelt (undefined) global is an error, not a silent nil.
local task = lab.task("romo", { batch = 4 })
print(tsk.inputs)
