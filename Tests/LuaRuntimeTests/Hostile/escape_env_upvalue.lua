-- attack: keep the environment in a local and look for removed names through it.
-- expect: error "escape_env_upvalue.lua:4: undefined global 'package'"
local env = _ENV
local p = env.package
