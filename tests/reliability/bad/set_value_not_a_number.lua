-- --set batch=3x: the value stays a string and the parameter check names it.
-- expect: @: parameter 'batch' of task 'romo' must be an integer, got string '3x'
-- args: --set batch=3x
local task = lab.task("romo", { batch = lab.args.batch }) -- error here
