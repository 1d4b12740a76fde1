-- The bad-file cases' helper (`-- requires: h5py`): returns a function that
-- runs Python code with h5py and numpy imported, to damage a file rnnlab
-- wrote. bad_case.sh puts this folder on LUA_PATH and the Python that has
-- h5py in $RNNLAB_H5PY.
return function(code)
  local f = assert(io.open("make.py", "w"))
  f:write("import h5py\nimport numpy as np\n", code)
  f:close()
  assert(os.execute(os.getenv("RNNLAB_H5PY") .. " make.py"))
end
