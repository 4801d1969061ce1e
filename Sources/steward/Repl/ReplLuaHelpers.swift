/// The evaluator's trusted Lua: it runs with the real globals (the full standard library) as
/// its environment, never in the scripts' view, and is loaded once per session with
/// `LuaState.runTrusted`.
///
/// What it may touch, and how (DESIGN.md, "At the bridge"):
/// - script values only raw (`next`, `rawget`); scripts cannot give a table a metatable
///   (`setmetatable` is not in their environment), so the only tables with metatables are the
///   host's own read-only views, whose `__index`/`__pairs` are trusted;
/// - host objects through their host-defined metatables (`__tostring`, properties), each read
///   under `pcall`, so a failing property shows as `?` instead of losing the whole value.
///
/// The Swift side (ReplEvaluator) stashes the compiled chunk in `__repl_chunk` and the script
/// globals table in `__repl_globals`, then calls these functions under `lua_pcall` with the
/// session's limits.
enum ReplLuaHelpers {
    static let source = #"""
local type, next, rawget, rawset, tostring, pcall, select = type, next, rawget, rawset, tostring, pcall, select
local getmetatable, pairs = getmetatable, pairs
local math_type, table_pack, table_sort, table_concat = math.type, table.pack, table.sort, table.concat
local hosttype = __repl_typename

-- One evaluation: run the chunk, keep every result for rendering, `_` = the first one.
function __repl_eval()
  local f = __repl_chunk
  __repl_chunk = nil
  local r = table_pack(f())
  __repl_last = r
  if r.n > 0 then rawset(__repl_globals, "_", r[1]) end
  return r.n
end

-- After the memory limit: free what the failed chunk left, so the next one has room.
function __repl_collect()
  collectgarbage()
end

local MAX_ITEMS, MAX_DEPTH, MAX_NODES, MAX_KEYS = 50, 6, 3000, 20000
local nodes = 0

local function read(obj, name)
  local ok, v = pcall(function() return obj[name] end)
  if ok then return v end
  return nil
end

local function atom(v)
  local t = type(v)
  if t == "nil" then return { t = "nil" } end
  if t == "boolean" then return { t = "boolean", b = v } end
  if t == "number" then
    return { t = math_type(v) == "integer" and "integer" or "float", s = tostring(v) }
  end
  if t == "string" then return { t = "string", s = v } end
  if t == "userdata" then
    local name = hosttype(v)
    local ok, text = pcall(tostring, v)
    return { t = "object", kind = name or "userdata", s = ok and text or (name or "userdata") }
  end
  return { t = t }
end

local ORDER = { number = 1, string = 2, boolean = 3 }
local function before(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (ORDER[ta] or 9) < (ORDER[tb] or 9) end
  if ta == "number" or ta == "string" then return a < b end
  if ta == "boolean" then return (not a) and b end
  return tostring(a) < tostring(b)
end

-- A value as a tree of plain tables: `{t="table", items={{k=doc, v=doc}...}, more=n}`,
-- cycles and the depth/size caps marked.
local function doc(v, depth, path)
  nodes = nodes + 1
  if type(v) ~= "table" then return atom(v) end
  if path[v] then return { t = "cycle" } end
  if depth >= MAX_DEPTH or nodes > MAX_NODES then return { t = "deep" } end
  path[v] = true
  local items, n, seq = {}, 0, 0
  while n < MAX_ITEMS do
    local x = rawget(v, seq + 1)
    if x == nil then break end
    seq = seq + 1
    n = n + 1
    items[n] = { v = doc(x, depth + 1, path) }
  end
  local keys, nkeys, total = {}, 0, seq
  for k in next, v do
    if not (math_type(k) == "integer" and k >= 1 and k <= seq) then
      total = total + 1
      if nkeys < MAX_KEYS then nkeys = nkeys + 1; keys[nkeys] = k end
    end
  end
  if n < MAX_ITEMS and nkeys > 0 then
    table_sort(keys, before)
    for i = 1, nkeys do
      if n >= MAX_ITEMS then break end
      n = n + 1
      items[n] = { k = doc(keys[i], depth + 1, path), v = doc(rawget(v, keys[i]), depth + 1, path) }
    end
  end
  path[v] = nil
  return { t = "table", items = items, more = total - n }
end

-- Cells of host records. A cell is a plain value, or {fen = n} for money.
local function text_of(v)
  if v == nil then return nil end
  local t = type(v)
  if t == "userdata" then local ok, s = pcall(tostring, v); return ok and s or "?" end
  if t == "table" then
    local parts = {}
    for i = 1, 20 do
      local x = rawget(v, i)
      if x == nil then break end
      parts[i] = tostring(x)
    end
    return table_concat(parts, ",")
  end
  return v
end

local function money(v) if math_type(v) == "integer" then return { fen = v } end return v end

local function available(b)
  local ok, v = pcall(function() return b:available() end)
  if ok then return money(v) end
  return "?"
end

local function disability(m)
  local c = read(m, "disability_category")
  if c == nil then return nil end
  local g = read(m, "disability_grade")
  return g and (c .. " " .. g) or c
end

-- Columns of a list of records: {header, field name or function}.
local COLUMNS = {
  member = {
    { "id", "id" }, { "name", "name" }, { "sex", "sex" }, { "age", "age" }, { "town", "town_name" },
    { "disability", disability }, { "tags", function(m) return text_of(read(m, "tags")) end },
  },
  facility = {
    { "code", "code" }, { "name", "name" }, { "kind", "kind_name" }, { "town", "town_name" },
    { "capacity", "capacity" }, { "occupancy", "occupancy" }, { "free", "free_places" },
  },
  budget = {
    { "code", "code" }, { "name", "name" }, { "year", "year" },
    { "total", function(b) return money(read(b, "total")) end }, { "available", available },
  },
  programme = { { "code", "code" }, { "name", "name" }, { "office", "office" }, { "kind", "kind" } },
}

-- Fields of one record shown as a two-column table (nil and false are left out).
local FIELDS = {
  member = { "id", "name", "sex", "age", "birth_date", "town_name", "community", "identity_number", "phone",
             "minimum_living_allowance", "extreme_hardship", "registered_poor", "disability_category",
             "disability_grade", "certificate_expiry", "union_card", "model_worker", "new_form_worker",
             "elderly", "empty_nest", "living_alone", "dependent", "home_visit_hours", "student",
             "university", "admission_year", "income", "rehab_child", "tags" },
  facility = { "code", "name", "kind", "kind_name", "town_name", "capacity", "occupancy", "free_places",
               "star_rating", "nursing_beds", "certifications" },
  budget = { "code", "name", "office", "year", "total", "available" },
  programme = { "code", "name", "office", "kind" },
}
local MONEY_FIELDS = { total = true, income = true }
local function is_money(v) return type(v) == "table" and rawget(v, "fen") ~= nil end

-- Host types as the API reference declares them, set by the evaluator from APICatalogue:
-- SCHEMA[kind] = { fields = { names in order }, money = { [name] = true } ("in fen")}.
local SCHEMA = {}
function __repl_set_schema(s) SCHEMA = s end

-- Values that read best as their own text (2025-06-15, 2025-Q2), not as a record.
local ATOMIC = { date = true, span = true, period = true }

local function record_fields(kind)
  local s = SCHEMA[kind]
  if s == nil then return FIELDS[kind], MONEY_FIELDS end
  local list = {}
  for i, name in ipairs(s.fields) do list[i] = name end
  if kind == "budget" then list[#list + 1] = "available" end
  return list, s.money or {}
end

-- Columns of a list: the chosen ones, else the first fields the reference declares.
local derived = {}
local function columns(kind)
  if COLUMNS[kind] then return COLUMNS[kind] end
  if derived[kind] then return derived[kind] end
  local s = SCHEMA[kind]
  if s == nil or ATOMIC[kind] then return nil end
  local cols = {}
  for i, name in ipairs(s.fields) do
    if i > 7 then break end
    if s.money and s.money[name] then
      cols[i] = { name, function(o) return money(read(o, name)) end }
    else
      cols[i] = { name, name }
    end
  end
  derived[kind] = cols
  return cols
end

local function row(kind, obj)
  local cells = {}
  for i, col in ipairs(columns(kind)) do
    local get = col[2]
    local v
    if type(get) == "function" then
      local ok, x = pcall(get, obj)
      if ok then v = x else v = "?" end
    else
      v = text_of(read(obj, get))
    end
    if v == nil then v = false end
    cells[i] = v
  end
  return cells
end

local function headers(kind)
  local out = {}
  for i, col in ipairs(columns(kind)) do out[i] = col[1] end
  return out
end

local function record(kind, obj)
  local rows = {}
  local fields, money_fields = record_fields(kind)
  for _, name in ipairs(fields) do
    local v
    if name == "available" then v = available(obj) else v = read(obj, name) end
    if v ~= nil and v ~= false then
      if money_fields[name] then v = money(v) elseif not is_money(v) then v = text_of(v) end
      if v ~= "" then rows[#rows + 1] = { name, v } end
    end
  end
  local ok, title = pcall(tostring, obj)
  return { t = "record", kind = kind, title = ok and title or kind, rows = rows }
end

local QUERY_ROWS = { members = "member", facilities = "facility" }

local function query_rows(kind, q, max_rows)
  local rows, n = {}, 0
  local ok, err = pcall(function()
    local it = q:each()
    while n < max_rows do
      local obj = it()
      if obj == nil then break end
      n = n + 1
      rows[n] = row(kind, obj)
    end
  end)
  if not ok then return { t = "error", s = tostring(err) } end
  local okc, total = pcall(function() return q:count() end)
  return { t = "rows", kind = kind, headers = headers(kind), rows = rows, total = okc and total or n }
end

local function top(v, max_rows)
  nodes = 0
  local t = type(v)
  if t == "userdata" then
    local kind = hosttype(v)
    if QUERY_ROWS[kind] then return query_rows(QUERY_ROWS[kind], v, max_rows) end
    if not ATOMIC[kind] and (FIELDS[kind] or SCHEMA[kind]) then return record(kind, v) end
    return atom(v)
  end
  if t == "table" then
    -- A sequence of records of one kind (members{...}:list()) shows as rows.
    local first = rawget(v, 1)
    local kind = type(first) == "userdata" and hosttype(first)
    if kind and columns(kind) and getmetatable(v) == nil then
      local count, uniform = 0, true
      for k, x in next, v do
        count = count + 1
        if math_type(k) ~= "integer" or type(x) ~= "userdata" or hosttype(x) ~= kind then uniform = false; break end
      end
      if uniform and count == #v then
        local rows = {}
        for i = 1, math.min(count, max_rows) do rows[i] = row(kind, rawget(v, i)) end
        return { t = "rows", kind = kind, headers = headers(kind), rows = rows, total = count }
      end
    end
  end
  return doc(v, 0, {})
end

-- Every result of the last evaluation as a document (see ReplDocument.swift).
function __repl_render(max_rows)
  local r = __repl_last
  __repl_last = nil
  local out = {}
  if r == nil then return out end
  for i = 1, r.n do out[i] = top(r[i], max_rows) end
  return out
end

-- Completion: what `a.b.c` names. Returns { keys = {...} } for a table, { object = type } for
-- a host object, or nil.
function __repl_lookup(path)
  local v = rawget(__repl_globals, path[1])
  if v == nil then v = rawget(sandbox, path[1]) end
  for i = 2, #path do
    if type(v) ~= "table" then return nil end
    local x = rawget(v, path[i])
    if x == nil and getmetatable(v) ~= nil then x = v[path[i]] end
    v = x
  end
  if type(v) == "userdata" then return { object = hosttype(v) } end
  if type(v) ~= "table" then return nil end
  local keys, n = {}, 0
  for k in next, v do
    if type(k) == "string" then n = n + 1; keys[n] = k end
    if n >= 5000 then break end
  end
  if getmetatable(v) ~= nil then
    for k in pairs(v) do
      if type(k) == "string" then n = n + 1; keys[n] = k end
      if n >= 5000 then break end
    end
  end
  return { keys = keys }
end

-- What a global is, for \d NAME and \help NAME: its type, host type or value.
function __repl_describe(name)
  local v = rawget(__repl_globals, name)
  local where = "global"
  if v == nil then v = rawget(sandbox, name); where = "built-in" end
  if v == nil then return nil end
  local t = type(v)
  local d = { where = where, type = t }
  if t == "userdata" then d.object = hosttype(v) end
  if t == "table" then
    local keys, n = {}, 0
    for k in next, v do if type(k) == "string" then n = n + 1; keys[n] = k end end
    if getmetatable(v) ~= nil then for k in pairs(v) do if type(k) == "string" then n = n + 1; keys[n] = k end end end
    d.keys = keys
  end
  return d
end
"""#
}
