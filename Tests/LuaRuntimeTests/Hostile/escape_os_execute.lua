-- attack: run a shell command with os.execute (os is there, execute is not).
-- expect: error "escape_os_execute.lua:4: attempt to call a nil value (field 'execute')"
-- marker: /tmp/steward-hostile-execute-marker
os.execute("touch /tmp/steward-hostile-execute-marker")
