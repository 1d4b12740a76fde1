-- lab.mkdir with a table.
-- expect: @: lab\.mkdir\(path\): the path must be a string, got table
lab.mkdir({ "a" }) -- error here
