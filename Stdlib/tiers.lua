-- tiers: tables of ranges and values, e.g. hospital consolation by length of stay.
--
--   local stay = tiers.new{ { from = 1, to = 7, value = yuan(500) },
--                           { from = 8, to = 30, value = yuan(1000) },
--                           { from = 31, value = yuan(2000) } }
--   stay:first(12)  --> 100000   (the first tier containing 12)
--   stay:sum(12)    --> the sum of every tier containing 12

local type, ipairs, error, setmetatable = type, ipairs, error, setmetatable
local math_type = math.type

local Tiers = {}
Tiers.__index = Tiers
Tiers.__metatable = false

local function check_integer(v, what)
  if math_type(v) ~= "integer" then error("tiers: " .. what .. " must be a whole number", 3) end
end

local tiers = {}

--- Makes a tier table from a list of { from =, to = (optional), value = }. Ranges include
--- both ends; a tier without `to` has no upper end.
function tiers.new(list)
  if type(list) ~= "table" then error("tiers.new: a list of { from =, to =, value = } is needed", 2) end
  local t = {}
  for i, tier in ipairs(list) do
    check_integer(tier.from, "from")
    if tier.to ~= nil then
      check_integer(tier.to, "to")
      if tier.to < tier.from then error("tiers.new: tier " .. i .. " ends before it starts", 2) end
    end
    check_integer(tier.value, "value")
    t[i] = { from = tier.from, to = tier.to, value = tier.value }
  end
  return setmetatable({ list = t }, Tiers)
end

--- The value of the first tier containing `measure`, or nil.
function Tiers:first(measure)
  check_integer(measure, "measure")
  for _, tier in ipairs(self.list) do
    if measure >= tier.from and (tier.to == nil or measure <= tier.to) then return tier.value end
  end
  return nil
end

--- The sum of the values of every tier containing `measure` (0 when none does).
function Tiers:sum(measure)
  check_integer(measure, "measure")
  local total = 0
  for _, tier in ipairs(self.list) do
    if measure >= tier.from and (tier.to == nil or measure <= tier.to) then total = total + tier.value end
  end
  return total
end

sandbox.tiers = readonly(tiers, "tiers")
