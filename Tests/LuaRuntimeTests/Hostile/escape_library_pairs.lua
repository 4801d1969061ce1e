-- attack: pairs() over a read-only library view returned the table behind it, which was
--         writable: replace string.rep for every string method, the host's included.
--         (Found by this suite; the view now iterates without handing out its table.)
-- expect: error "escape_library_pairs.lua:6: attempt to index a nil value (local 'real')"
local _, real = pairs(string)
real.rep = function() return "pwned" end
return ("x"):rep(3)
