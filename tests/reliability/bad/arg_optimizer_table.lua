-- lab.optimizer given { name } instead of a name.
-- expect: @: lab\.optimizer\(name, params\): name must be a string, got table
lab.optimizer({ "adam" }) -- error here
