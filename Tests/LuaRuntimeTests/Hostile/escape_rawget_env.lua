-- attack: find removed libraries stored raw in the script environment.
-- expect: error "escape_rawget_env.lua:3: nothing to reach"
assert(rawget(_ENV, "io") or rawget(_ENV, "_G") or rawget(_ENV, "load") or rawget(_ENV, "debug"), "nothing to reach")
