-- 'net' must be a network, here it is the task.
local task = lab.task("romo", { batch = 4 })
lab.train{ net = task, task = task, rule = lab.rule("bptt"),
           optimizer = lab.optimizer("adam", {}), iterations = 1 }
