-- lab.plot.curves with a directory name instead of its options.
-- expect: @: lab\.plot\.curves expects a table of options, got string
lab.plot.curves("results/fig4") -- error here
