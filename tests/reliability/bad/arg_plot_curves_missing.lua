-- lab.plot.curves without sweep and out.
-- expect: @: lab\.plot\.curves needs 'sweep' \(a sweep directory\) and 'out'
lab.plot.curves{} -- error here
