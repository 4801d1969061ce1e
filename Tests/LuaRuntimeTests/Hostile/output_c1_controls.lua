-- attack: C1 control characters (U+009B is a one-byte CSI on some terminals, U+0085 a newline).
-- expect: ok
-- stdout: \x9b31m red \x85 next
print("\u{9B}31m red \u{85} next")
