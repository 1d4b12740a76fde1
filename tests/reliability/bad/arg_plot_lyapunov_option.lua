-- lab.plot.lyapunov with an unknown option.
-- expect: @: lab\.plot\.lyapunov: unknown option 'colour'; valid: sweep, out, by, select, before, after, title
lab.plot.lyapunov{ sweep = "s", out = "o", colour = "red" } -- error here
