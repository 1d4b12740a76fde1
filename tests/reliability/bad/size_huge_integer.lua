-- hidden = 1e300 cannot become a size.
-- expect: @: parameter 'hidden' of network must be an integer of magnitude at most 9007199254740992 \(2\^53\), got 1e\+300
lab.network{ inputs = 1, hidden = 1e300, outputs = 2, dt = 50 } -- error here
