-- lr must be a number.
local opt = lab.optimizer("sgd", { lr = "fast" })
print(opt)
