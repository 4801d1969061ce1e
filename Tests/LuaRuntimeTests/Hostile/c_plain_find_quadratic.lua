-- attack: an O(n*m) plain find: 1MB subject, 1000-byte needle that never matches. Subject and
--         pattern sizes are capped, so the worst case stays short.
-- expect: ok
-- stdout: nil
return ("a"):rep(1024 * 1024):find(("a"):rep(1000) .. "b", 1, true)
