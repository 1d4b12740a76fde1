-- lab.sweep with a string.
-- expect: @: lab\.sweep\{\.\.\.\} expects a table, got string
lab.sweep("results") -- error here
