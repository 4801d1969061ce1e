-- attack: run a shell command through io.popen, after hiding the lookup behind rawget.
-- expect: error "escape_io_popen.lua:5: attempt to index a nil value (local 'io')"
-- marker: /tmp/steward-hostile-popen-marker
local io = rawget(_ENV, "io")
io.popen("touch /tmp/steward-hostile-popen-marker")
