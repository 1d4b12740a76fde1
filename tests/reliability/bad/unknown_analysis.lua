-- An analysis name with a typo lists the available analyses.
-- expect: @: unknown analysis 'lyapunov_'; available: ([a-z_]+, )*lyapunov(, [a-z_]+)*
local a = lab.analysis("lyapunov_", {}) -- error here
