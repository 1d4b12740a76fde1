-- lab.load_plugins(dir) adds plugins at run time (call on line 4).
local dir = assert(lab.args.dir, "pass --set dir=DIR")

lab.load_plugins(dir)
local task = lab.task("constant")
print(string.format("constant task: %d input, %d output, dt %g", task.inputs, task.outputs, task.dt))
