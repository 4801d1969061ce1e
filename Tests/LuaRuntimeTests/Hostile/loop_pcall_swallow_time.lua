-- attack: catch the time limit with pcall and loop again.
-- expect: limit.time
-- args: --timeout 500ms
while true do
  pcall(function() while true do end end)
end
