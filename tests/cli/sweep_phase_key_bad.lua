-- A phaseK. key naming a phase the protocol does not have.
lab.sweep{ out = lab.args.out, task = "romo", network = { hidden = 8 },
           grid = { ["phase3.lr"] = { 1e-3 } },
           protocol = { { rule = "bptt", iterations = 1 }, { rule = "eprop", iterations = 1 } } }
