-- Saving into a directory without write permission (not testable as root).
-- expect: @: cannot write 'ro/net\.h5': Permission denied
-- requires: nonroot
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
lab.mkdir("ro")
assert(os.execute("chmod 555 ro"))
net:save("ro/net.h5") -- error here
