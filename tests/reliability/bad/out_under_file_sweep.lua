-- A sweep whose output directory lies below a regular file.
-- expect: @: cannot create 'file\.txt/sweep': Not a directory
assert(io.open("file.txt", "w")):close()
lab.sweep{ out = "file.txt/sweep", task = "romo", protocol = { { rule = "bptt", iterations = 1 } } } -- error here
