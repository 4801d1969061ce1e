-- attack: read the host's environment (database passwords, tokens) with os.getenv.
-- expect: error "escape_os_getenv.lua:3: attempt to call a nil value (field 'getenv')"
return os.getenv("HOME")
