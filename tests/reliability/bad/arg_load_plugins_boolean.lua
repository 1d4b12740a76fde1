-- lab.load_plugins with a boolean.
-- expect: @: lab\.load_plugins\(path\): the path must be a string, got boolean
lab.load_plugins(true) -- error here
