-- attack: a message handler that allocates again once memory has run out.
-- expect: limit.memory
local ok = xpcall(function()
  local t = {} for i = 1, math.maxinteger do t[i] = i end
end, function(e)
  local t = {} for i = 1, math.maxinteger do t[i] = i end
  return e
end)
return "swallowed", ok
