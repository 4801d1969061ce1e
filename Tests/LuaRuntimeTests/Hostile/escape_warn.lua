-- attack: Lua's warn("@on") switches on C-level warnings written straight to the process's
--         stderr. Lua's warn is not in the sandbox; `warn` is the host's, which records a
--         run warning (shown after the output) and nothing else.
-- expect: ok
-- stderr: warning: @on
warn("@on")
