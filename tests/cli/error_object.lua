-- error() with a table: the message still says where.
local reason = { code = 3 }
error(reason)
