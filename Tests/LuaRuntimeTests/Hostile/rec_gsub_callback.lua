-- attack: recursion through C: a string.gsub callback that calls gsub again.
-- expect: error "rec_gsub_callback.lua:3: C stack overflow"
local function f(s) return (string.gsub(s, ".", f)) end
return f("ab")
