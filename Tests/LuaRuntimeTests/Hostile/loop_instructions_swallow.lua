-- attack: catch the instruction limit with pcall and xpcall and carry on.
-- expect: limit.instructions
-- args: --instruction-limit 100000
while true do
  pcall(function() while true do end end)
  xpcall(function() while true do end end, function(e) return e end)
end
