-- A batch file that does not exist.
-- expect: @: cannot read batch 'no_such_batch\.h5': no such file
lab.load_batch("no_such_batch.h5") -- error here
