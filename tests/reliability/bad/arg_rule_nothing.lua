-- lab.rule without arguments.
-- expect: @: lab\.rule\(name, params\): name must be a string, got no value
lab.rule() -- error here
