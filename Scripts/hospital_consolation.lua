-- 住院慰问 — consolation for union members in hospital.
--
-- Each hospital stay of a union member (工会会员) admitted this year earns a consolation by
-- its length (住院天数):
--     3–6 days  300 yuan      7–14 days  500 yuan      15 days or more  800 yuan
-- (the amounts are the programme's parameters), and no member gets more than the annual cap
-- (2,000 yuan) in a year: a stay that would pass the cap gets what is left under it.
-- Stays are recorded on the member as tags `hospital-stay:ADMISSION-DATE:DAYS`. Each stay is
-- paid once (its key is the member and the admission date), so running the script again
-- after new stays are recorded pays only the new ones.
script {
  name = "hospital-consolation",
  title = "Pay hospital consolation by length of stay, capped per member per year",
  idempotent = true,
  params = {
    year = { type = "integer", default = 2025, help = "the year of admission (and of the budget)" },
  },
}

local year = params.year
local consolation = programme "hospital-consolation"
local fund = budget("hospital-consolation-" .. year)
local cap = consolation:param("annual_cap")
local by_length = tiers.new{
  { from = 3, to = 6, value = consolation:param("tier_3_days") },
  { from = 7, to = 14, value = consolation:param("tier_7_days") },
  { from = 15, value = consolation:param("tier_15_days") },
}

-- A member's stays admitted in `year`, earliest first: { admitted = date, days = n }.
local function stays_of(person)
  local list = {}
  for _, tag in ipairs(person.tags) do
    local admitted, stay_days = tag:match("^hospital%-stay:(%d%d%d%d%-%d%d%-%d%d):(%d+)$")
    if admitted and date(admitted).year == year then
      list[#list + 1] = { admitted = date(admitted), days = math.tointeger(tonumber(stay_days)) }
    end
  end
  table.sort(list, function(a, b) return a.admitted < b.admitted end)
  return list
end

local rows = {}
local paid_stays, capped, too_short, total = 0, 0, 0, 0
for person in members{ tag = "hospital-stay", union_card = true }:order_by("town", "id"):each() do
  for _, stay in ipairs(stays_of(person)) do
    local amount = by_length:first(stay.days)
    if amount == nil then
      too_short = too_short + 1
    else
      local room = cap - consolation:paid(person, year)
      local give = math.min(amount, room)
      if give > 0 then
        local new = fund:grant(person, give, {
          programme = consolation, kind = "hospital", period = year,
          key = ("hospital-consolation|m%d|%s"):format(person.id, stay.admitted:iso()),
          memo = ("住院 %d 天（%s 入院）"):format(stay.days, stay.admitted:iso()),
        })
        if new then
          paid_stays = paid_stays + 1
          total = total + give
          if give < amount then capped = capped + 1 end
          rows[#rows + 1] = { name = person.name, town = person.town_name, admitted = stay.admitted:iso(),
                              days = stay.days, tier = amount, paid = give }
        end
      elseif room <= 0 then
        capped = capped + 1
      end
    end
  end
end

report.heading(("Hospital consolation %d (cap %s a member a year)"):format(year, money.format(cap)))
report.table(rows, { "name", "town", "admitted", "days", "tier:money", "paid:money" })
report.summary{
  ["stays paid"] = paid_stays,
  ["stays cut by the cap"] = capped,
  ["stays under 3 days"] = too_short,
  ["total"] = money.format(total),
  ["left in the fund"] = money.format(fund:available()),
}
