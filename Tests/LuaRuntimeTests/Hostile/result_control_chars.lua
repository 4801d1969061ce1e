-- attack: a string result that drives the terminal when the host prints it.
-- expect: ok
-- stdout: \x1b[2J\x1b]0;pwned\x07
-- known-issue: LuaValueText.describe prints a top-level string result raw (Sources/StewardScripting)
return "\27[2J\27]0;pwned\7"
