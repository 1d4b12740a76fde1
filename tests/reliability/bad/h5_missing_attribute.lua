-- All datasets of a network file but none of its attributes (made with h5copy).
-- expect: @: 'bare\.h5': attribute 'alpha' is missing
-- requires: h5copy
local net = lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50, seed = 1 }
net:save("net.h5")
for _, d in ipairs{ "W_h", "W_x", "W_out" } do
  assert(os.execute("h5copy -i net.h5 -o bare.h5 -s " .. d .. " -d " .. d))
end
lab.load_network("bare.h5") -- error here
