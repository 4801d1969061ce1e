-- attack: replace _ENV with a table of one's own, hoping names resolve elsewhere.
-- expect: error "escape_local_env.lua:5: attempt to index a nil value (global 'io')"
-- marker: /tmp/steward-hostile-env-marker
local _ENV = { tostring = tostring }
io.open("/tmp/steward-hostile-env-marker", "w")
