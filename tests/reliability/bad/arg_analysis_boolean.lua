-- lab.analysis with a boolean for the name.
-- expect: @: lab\.analysis\(name, params\): name must be a string, got boolean
lab.analysis(true) -- error here
