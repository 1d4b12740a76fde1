-- lr = inf is outside (0, inf).
-- expect: @: parameter 'lr' of optimizer 'adam' must be a finite number, got inf
lab.optimizer("adam", { lr = 1 / 0 }) -- error here
