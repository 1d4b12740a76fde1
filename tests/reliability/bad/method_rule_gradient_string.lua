-- rule:gradient with a string for the network.
-- expect: @: bad argument #1 to 'gradient' \(rnnlab\.Network expected, got string\)
lab.rule("bptt"):gradient("x") -- error here
