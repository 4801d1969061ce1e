-- attack: string.rep('', math.maxinteger) loops maxinteger times in C for an empty result.
-- expect: ok
-- stdout: 0
return #string.rep("", math.maxinteger)
