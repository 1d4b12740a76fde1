-- lab.task with a string where the parameter table belongs.
-- expect: @: parameters of task 'romo' must be a table, got string
lab.task("romo", "batch=2") -- error here
