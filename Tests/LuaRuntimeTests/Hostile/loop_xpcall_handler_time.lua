-- attack: a message handler that loops. Lua calls a hook with hooks switched off and, when
--         the hook raises inside a handler, runs the handler again from there: the loop
--         used to run past the soft time limit until the hard watchdog killed the process.
--         (Found by this suite; the sandbox's xpcall now guards the handler.)
-- expect: limit.time
-- args: --timeout 500ms
-- stderr: error: loop_xpcall_handler_time.lua: time limit of 500ms exceeded
xpcall(error, function(e) while true do end end)
return "swallowed"
