-- attack: a pathological pattern: one string.find call that runs for minutes in C, where no
--         hook fires. The hard watchdog ends it.
-- expect: limit.time
-- args: --timeout 1s
return string.find(("a"):rep(300000), ".-.-.-.-b")
