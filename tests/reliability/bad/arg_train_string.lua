-- lab.train with a string instead of its table.
-- expect: @: lab\.train\{\.\.\.\} expects a table, got string
lab.train("bptt") -- error here
