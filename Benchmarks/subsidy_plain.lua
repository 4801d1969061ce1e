-- Benchmark job 1 (plain lua5.4): the subsidy computation alone, over in-memory tables.
-- Usage: lua5.4 subsidy_plain.lua DATA.lua [LEFT_FEN] [PERIOD]
--   (DATA.lua returns { {id, grade, hardship, birth}, ... }; LEFT_FEN is what the budget has left)
-- Prints the seconds the computation took (data loading excluded) on its last line.
local rows = dofile(arg[1])
local start = os.clock()
local base = { 30000, 20000, 12000, 8000 }
local left = tonumber(arg[2] or "600000000")
local period = arg[3] or "2025-06"
local today_y, today_md = 2025, 615
local paid, granted, unfunded, entries = 0, 0, 0, {}
for i = 1, #rows do
  local r = rows[i]
  local amount = base[r[2]]
  if r[3] then amount = amount + 10000 end
  local by, bm, bd = r[4]:match("^(%d+)-(%d+)-(%d+)$")
  local age = today_y - tonumber(by) - ((today_md < tonumber(bm) * 100 + tonumber(bd)) and 1 or 0)
  if age >= 60 then amount = amount + 5000 end
  if amount <= left then
    granted = granted + 1
    entries[granted] = { budget = "disability-subsidies-2025", member = r[1], amount = amount,
                         key = "grant|disability-subsidies-2025|disability-living-subsidy|m" .. r[1] .. "|" .. period .. "|living" }
    left = left - amount
    paid = paid + amount
  else
    unfunded = unfunded + 1
  end
end
print(string.format("granted %d, unfunded %d, paid %d", granted, unfunded, paid))
print(os.clock() - start)
