import CLua

/// The trusted Lua code that builds the sandbox, run once per state with the full standard
/// libraries in reach. It returns the frozen base environment that scripts read through.
///
/// Why Lua and not Swift: the allow-list reads best as a list, and the size-checked wrappers
/// are small Lua functions around the C ones. Nothing here is reachable by scripts except
/// the values placed in `base`.
enum LuaSandboxPrelude {
    /// The prelude compiled once per process: parsing it for every fresh state would cost
    /// more than everything else a state needs.
    static let chunk: LuaTrustedChunk = {
        do { return try LuaTrustedChunk(source, name: "sandbox") } catch {
            preconditionFailure("sandbox prelude does not compile: \(error)")
        }
    }()

    static let source = #"""
local host = ...
local error, select, tostring = error, select, tostring
local next, rawget, setmetatable, getmetatable = next, rawget, setmetatable, getmetatable
local c_concat = table.concat
local safe = host.safe   -- size-checked C wrappers (safelib.c)
local write = host.write

-- A read-only view of `t`: reads go through, writes are an error, pairs() iterates t.
local function readonly(t, name)
  -- pairs() must not return `next, t`: that handed scripts the writable table behind the
  -- view (`local _, real = pairs(string) real.rep = ...`). The iterator keeps `t` hidden.
  local function iterate(_, k) return next(t, k) end
  local function pairs_of() return iterate, nil, nil end
  return setmetatable({}, {
    __index = t,
    __newindex = function() error("'" .. name .. "' is read-only", 2) end,
    __pairs = pairs_of,
    __len = function() return #t end,
    __metatable = false,
  })
end

local S = {}
for _, name in ipairs { "byte", "char", "format", "len", "lower", "reverse", "sub", "upper" } do
  S[name] = string[name]
end
for _, name in ipairs { "rep", "find", "match", "gmatch", "gsub" } do S[name] = safe[name] end
local string_view = readonly(S, "string")

-- Methods on strings ("x"):upper() see only the allowed functions; the metatable is hidden.
local smt = getmetatable("")
smt.__index = string_view
smt.__metatable = false

local T = { concat = safe.concat, insert = table.insert, pack = table.pack, remove = table.remove,
            sort = table.sort, unpack = table.unpack }

local M = {}
for k, v in next, math do M[k] = v end

local U = { char = utf8.char, charpattern = utf8.charpattern, codepoint = utf8.codepoint,
            len = utf8.len, offset = utf8.offset }

local O = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }

local base = {}
for _, name in ipairs { "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall",
                        "rawequal", "rawlen", "rawget", "select", "tonumber", "tostring", "type" } do
  base[name] = _G[name]
end
base._VERSION = _VERSION
-- xpcall runs the script's message handler only while no limit has tripped (safelib.c).
base.xpcall = safe.xpcall
base.string = string_view
base.table = readonly(T, "table")
base.math = readonly(M, "math")
base.utf8 = readonly(U, "utf8")
base.os = readonly(O, "os")

-- print writes to the run's output, never to the process's stdout.
base.print = function(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  write(c_concat(parts, "\t"))
end

-- Trusted code (the host's Lua library) reaches these through the real globals.
_G.readonly = readonly
_G.sandbox = base
return base
"""#
}
