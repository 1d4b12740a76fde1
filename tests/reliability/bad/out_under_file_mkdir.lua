-- lab.mkdir below a regular file.
-- expect: @: cannot create directory 'file\.txt/d': Not a directory
assert(io.open("file.txt", "w")):close()
lab.mkdir("file.txt/d") -- error here
