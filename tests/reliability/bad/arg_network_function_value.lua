-- A function as a parameter value.
-- expect: @: parameter 'hidden' of network must be a boolean, number or string, got function
lab.network{ hidden = function() return 4 end } -- error here
