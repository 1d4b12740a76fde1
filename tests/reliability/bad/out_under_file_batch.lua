-- batch:save below a regular file.
-- expect: @: cannot write 'file\.txt/b\.h5': 'file\.txt' is not a directory
local task = lab.task("romo", { batch = 2 })
assert(io.open("file.txt", "w")):close()
task:batch(1):save("file.txt/b.h5") -- error here
