-- attack: drive the collector (stop it to grow memory unseen, or force finalizers).
-- expect: error "escape_collectgarbage.lua:3: undefined global 'collectgarbage'"
collectgarbage("stop")
