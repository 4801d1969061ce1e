-- report: output that reads well in a terminal, Chinese text included.
--
--   report.table(shares, { "town", "slots" })                    -- a map: key and value columns
--   report.table(rows, { "name", "town_name", "amount:money" })  -- a list of records or tables

local render = __host_render_table
local print = sandbox.print
local money_format = sandbox.money.format
local type, ipairs, pairs, tostring, error = type, ipairs, pairs, tostring, error
local sort, concat = table.sort, table.concat
local math_type = math.type

local report = {}

local function column(spec)
  local name, format = spec:match("^([^:]+):(%a+)$")
  if not name then name, format = spec, nil end
  return { name = name, format = format, title = name }
end

local function cell(value, format)
  if value == nil then return "" end
  if format == "money" then
    if math_type(value) ~= "integer" then error("report: money columns hold whole fen, got " .. tostring(value), 4) end
    return money_format(value)
  end
  if format == "percent" then return string.format("%.1f%%", value) end
  return tostring(value)
end

local function is_number_column(rows, index)
  local any = false
  for _, row in ipairs(rows) do
    local v = row[index]
    if v ~= nil then
      if type(v) ~= "number" then return false end
      any = true
    end
  end
  return any
end

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  return a < b
end

--- Prints `rows` as an aligned table. `rows` is a list (of records or tables) or a map
--- (key → value); `columns` names the fields, with `:money` or `:percent` to format them.
function report.table(rows, columns, opts)
  if type(rows) ~= "table" then error("report.table: rows must be a table", 2) end
  opts = opts or {}
  local raw = {}
  local cols = {}
  if rows[1] ~= nil or next(rows) == nil then
    columns = columns or {}
    for i, spec in ipairs(columns) do cols[i] = column(spec) end
    for r, row in ipairs(rows) do
      local line = {}
      for i, col in ipairs(cols) do line[i] = row[col.name] end
      raw[r] = line
    end
  else
    columns = columns or { "key", "value" }
    cols[1] = column(columns[1] or "key")
    cols[2] = column(columns[2] or "value")
    local keys = {}
    for k in pairs(rows) do keys[#keys + 1] = k end
    sort(keys, key_order)
    for r, k in ipairs(keys) do raw[r] = { k, rows[k] } end
  end
  local headers, right, cells = {}, {}, {}
  for i, col in ipairs(cols) do
    headers[i] = col.title
    right[i] = col.format == "money" or col.format == "percent" or is_number_column(raw, i)
  end
  for r, line in ipairs(raw) do
    local out = {}
    for i, col in ipairs(cols) do out[i] = cell(line[i], col.format) end
    cells[r] = out
  end
  if opts.title then print(opts.title) end
  print(render(headers, cells, right))
end

--- Prints a heading line.
function report.heading(text)
  print("== " .. tostring(text))
end

--- Prints `label: value` lines for a map, keys sorted.
function report.summary(map)
  local keys = {}
  for k in pairs(map) do keys[#keys + 1] = k end
  sort(keys, key_order)
  local width = 0
  for _, k in ipairs(keys) do if #tostring(k) > width then width = #tostring(k) end end
  local lines = {}
  for i, k in ipairs(keys) do lines[i] = tostring(k) .. ": " .. tostring(map[k]) end
  print(concat(lines, "\n"))
end

sandbox.report = readonly(report, "report")
