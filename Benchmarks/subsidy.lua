-- Benchmark job 1 (Steward): the monthly living subsidy for certified disabled persons.
-- Per person: a base by grade, more for households in hardship and for those 60 or older;
-- granted from the subsidy budget in id order until it runs out.
script { name = "bench-subsidy", title = "Disability living subsidy (benchmark)",
         params = { period = { type = "period", default = "2025-06" } } }

local fund = budget "disability-subsidies-2025"
local base = { 30000, 20000, 12000, 8000 }   -- fen, by grade 1–4
local left = fund:available()
local paid, granted, unfunded = 0, 0, 0
for m in members{ disability = true }:order_by("id"):each() do
  local amount = base[m.disability_grade]
  if m.hardship then amount = amount + 10000 end
  if m.age >= 60 then amount = amount + 5000 end
  if amount <= left then
    if fund:grant(m, amount, { programme = "disability-living-subsidy", period = params.period, kind = "living" }) then
      left = left - amount
      paid = paid + amount
      granted = granted + 1
    end
  else
    unfunded = unfunded + 1
  end
end
print(string.format("granted %d, unfunded %d, paid %s", granted, unfunded, money.format(paid)))
