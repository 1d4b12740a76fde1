-- A parameter adam does not have: the error names the key and the valid ones.
local opt = lab.optimizer("adam", { learning_rate = 1e-3 })
print(opt)
