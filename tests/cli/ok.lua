-- A script that succeeds: prints lab.args so the caller can check --set.
local keys = {}
for k in pairs(lab.args) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do
  print(string.format("arg %s = %s (%s)", k, tostring(lab.args[k]), type(lab.args[k])))
end
print("ok " .. lab.version)
