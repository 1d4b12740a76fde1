-- lab.load_network with a number.
-- expect: @: lab\.load_network\(path\): the path must be a string, got number
lab.load_network(42) -- error here
