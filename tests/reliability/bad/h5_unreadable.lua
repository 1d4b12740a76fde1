-- A network file without read permission (not testable as root).
-- expect: @: cannot read network 'locked\.h5': Permission denied
-- requires: nonroot
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("locked.h5")
assert(os.execute("chmod 000 locked.h5"))
lab.load_network("locked.h5") -- error here
