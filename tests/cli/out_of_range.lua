-- lr must be positive.
local opt = lab.optimizer("adam", { lr = -1 })
print(opt)
