-- attack: integers at the edges, 2^63 as a float, and integer overflow (mininteger // -1).
-- expect: ok
-- stdout: 9223372036854775807
-- stdout: -9223372036854775808
-- stdout: 9.2233720368548e+18
-- stdout: -9223372036854775808
-- stdout: 0
-- stdout: -9223372036854775808
return math.maxinteger, math.mininteger, 2^63, math.mininteger // -1, math.mininteger % -1,
  math.abs(math.mininteger)
