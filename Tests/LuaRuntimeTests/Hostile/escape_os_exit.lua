-- attack: end the host process with exit code 0, so a failed run looks like a success
--         (and anything the host still had to do is skipped).
-- expect: error "escape_os_exit.lua:4: attempt to call a nil value (field 'exit')"
os.exit(0, true)
