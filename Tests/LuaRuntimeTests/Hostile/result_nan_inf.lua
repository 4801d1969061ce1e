-- attack: NaN and infinities as results.
-- expect: ok
-- stdout: -nan
-- stdout: nan
-- stdout: inf
-- stdout: -inf
return 0/0, -(0/0), 1/0, -1/0
