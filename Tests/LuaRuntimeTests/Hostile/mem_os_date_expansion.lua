-- attack: one os.date call whose result is twelve times its format.
-- expect: limit.memory
return os.date(("%c"):rep(4000000))
