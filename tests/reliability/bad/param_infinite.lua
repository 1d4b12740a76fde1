-- gain = inf is outside [0, inf).
-- expect: @: parameter 'gain' of network must be a finite number, got inf
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, gain = math.huge } -- error here
