-- lab.network with positional values.
-- expect: @: parameters of network must be given as name = value \(found a non-name key\)
lab.network{ 1, 4, 2 } -- error here
