-- attack: write a file outside the run with the io library.
-- expect: error "escape_io_open.lua:4: undefined global 'io'"
-- marker: /tmp/steward-hostile-io-marker
local f = io.open("/tmp/steward-hostile-io-marker", "w")
f:write("escaped")
f:close()
