-- hidden = 1e7 asks for 800 TB: a clear out-of-memory error naming the sizes, not std::bad_alloc.
-- expect: @: out of memory: a network with hidden = 10000000, inputs = 1, outputs = 2 has 1e\+14 parameters \(800 TB\)
lab.network{ inputs = 1, hidden = 1e7, outputs = 2, dt = 50 } -- error here
