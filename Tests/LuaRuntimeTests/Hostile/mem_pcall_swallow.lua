-- attack: catch the memory error with pcall and carry on.
-- expect: limit.memory
for i = 1, 100 do
  pcall(string.rep, "x", 15 * 1024 * 1024)
end
return "swallowed"
