-- An optimizer that does not exist: the error names line 3 and lists adam, sgd.
local rule = lab.rule("bptt")
local opt = lab.optimizer("adamw", { lr = 1e-3 })
print(rule, opt)
