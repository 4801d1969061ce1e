-- attack: delete or rename the host's files with os.remove / os.rename.
-- expect: error "escape_os_remove.lua:3: attempt to call a nil value (field 'remove')"
os.remove("steward.db")
os.rename("steward.db", "gone.db")
