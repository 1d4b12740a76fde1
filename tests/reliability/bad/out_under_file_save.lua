-- Saving below a regular file names the file that is not a directory.
-- expect: @: cannot write 'file\.txt/out\.h5': 'file\.txt' is not a directory
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
assert(io.open("file.txt", "w")):close()
net:save("file.txt/out.h5") -- error here
