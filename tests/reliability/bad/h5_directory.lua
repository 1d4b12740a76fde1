-- A directory where a network file belongs.
-- expect: @: cannot read network 'adir': it is a directory
lab.mkdir("adir")
lab.load_network("adir") -- error here
