-- lab.load_batch without a path.
-- expect: @: lab\.load_batch\(path\): the path must be a string, got nothing
lab.load_batch() -- error here
