-- A plain Lua runtime error in the script shows file:line.
-- expect: @: attempt to perform arithmetic on a nil value \(local 'missing_count'\)
local missing_count
local n = missing_count + 1 -- error here
