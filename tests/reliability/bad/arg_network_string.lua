-- lab.network with a string instead of a table.
-- expect: @: parameters of network must be a table, got string
lab.network("hidden=4") -- error here
