-- attack: run (and so read) a file of the host with dofile.
-- expect: error "escape_dofile.lua:3: undefined global 'dofile'"
dofile("/etc/passwd")
