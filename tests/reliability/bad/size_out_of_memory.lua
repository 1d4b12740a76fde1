-- hidden = 1e7 asks for 800 TB: a clear out-of-memory error, not std::bad_alloc.
-- expect: @: out of memory: the objects asked for are too large \(check sizes such as hidden and batch, and dt\)
lab.network{ inputs = 1, hidden = 1e7, outputs = 2, dt = 50 } -- error here
