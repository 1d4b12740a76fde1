-- A figure below a regular file.
-- expect: @: cannot create 'file\.txt': Not a directory
local task = lab.task("romo", { batch = 2 })
assert(io.open("file.txt", "w")):close()
lab.plot.trial(task, nil, { out = "file.txt/trial" }) -- error here
