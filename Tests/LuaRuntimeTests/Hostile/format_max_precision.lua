-- attack: the largest width and precision Lua accepts, on the largest double.
-- expect: ok
-- stdout: 409
return #string.format("%99.99f", 1.7976931348623157e308)
