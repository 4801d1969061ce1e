-- attack: a string result that drives the terminal when the host prints it.
-- expect: ok
-- stdout: \x1b[2J\x1b]0;pwned\x07
return "\27[2J\27]0;pwned\7"
