-- attack: a pattern function on a subject larger than the cap.
-- expect: error "c_pattern_subject_cap.lua:3: string.find: subject of 1048577 bytes is longer than the limit of 1048576 bytes"
return ("a"):rep(1024 * 1024 + 1):find("b", 1, true)
