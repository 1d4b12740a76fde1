-- lab.task with a number for the name.
-- expect: @: lab\.task\(name, params\): name must be a string, got number
lab.task(5) -- error here
