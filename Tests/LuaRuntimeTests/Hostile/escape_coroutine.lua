-- attack: coroutines (Debian's 5.4.4 crashes on chains of coroutine.close).
-- expect: error "escape_coroutine.lua:3: undefined global 'coroutine'"
local co = coroutine.wrap(function() end)
