-- attack: pcall(pcall, pcall, ...) chains.
-- expect: ok
-- stdout: true
-- stdout: true
-- stdout: true
-- stdout: true
-- stdout: false
-- stdout: boom
return pcall(pcall, pcall, pcall, pcall, error, "boom")
