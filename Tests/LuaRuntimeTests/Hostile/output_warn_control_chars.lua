-- attack: drive the terminal through a run warning instead of print.
-- expect: ok
-- stderr: warning: \x1b[2J\x1b]0;pwned\x07
warn("\27[2J\27]0;pwned\7")
