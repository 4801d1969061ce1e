-- attack: select('#', table.unpack(big)) pushes every value on the Lua stack at once.
-- expect: limit.memory
return select("#", table.unpack({}, 1, 900000))
