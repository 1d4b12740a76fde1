-- A misspelt task field lists the valid ones.
-- expect: @: rnnlab\.Task has no field or method 'input'; fields: dt, inputs, loss, name, outputs; methods: batch\(\), constant_loss\(\)
local task = lab.task("romo", { batch = 2 })
print(task.input) -- error here
