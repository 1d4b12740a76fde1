-- A sweep without an output directory.
-- expect: @: lab\.sweep: 'out' is required \(or pass --out DIR\)
lab.sweep{ task = "romo", protocol = { { rule = "bptt", iterations = 1 } } } -- error here
