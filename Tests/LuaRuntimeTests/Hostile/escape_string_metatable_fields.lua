-- attack: read the string metatable or the library table behind it through a string value.
-- expect: ok
-- stdout: nil
-- stdout: nil
-- stdout: nil
-- stdout: nil
return ("").__index, ("").__metatable, ("").__name, ("x").string
