-- attack: a pattern longer than the cap.
-- expect: error "c_pattern_length_cap.lua:3: string.match: pattern of 2000 bytes is longer than the limit of 1024 bytes"
return ("a"):match(("a?"):rep(1000))
