-- Creating a global inside a function is an error (strict globals);
-- the error points at the assignment on line 4.
local function count()
  counter = 1
end
count()
