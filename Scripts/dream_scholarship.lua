-- 圆梦行动 — the dream scholarship for students in hardship admitted to university.
--
-- Each student gets 5,000 yuan tuition aid (学费资助) and 2,000 yuan living allowance
-- (生活补助) from this year's fund, in priority order, while the fund lasts:
--   1. the most severe disability first (grade 1 before grade 4; no certificate last),
--   2. then the lowest household income,
--   3. then the earliest application.
-- Whoever cannot be paid in full goes on the waitlist with the reason, to be served first
-- when money comes back to the fund (and marked placed when they are paid). Students
-- already paid this year are skipped, so running the script again pays nobody twice.
script {
  name = "dream-scholarship",
  title = "Award the dream scholarship in priority order while the fund lasts",
  idempotent = true,
  params = {
    year = { type = "integer", default = 2025, help = "the academic year (and the fund's year)" },
  },
}

local year = params.year
local dream = programme "dream-scholarship"
local fund = budget("dream-scholarship-" .. year)
local tuition = dream:param("tuition")   -- 5,000 yuan, in fen
local living = dream:param("living")     -- 2,000 yuan, in fen
local award = tuition + living

-- Students already on the waitlist from an earlier run: if they are paid now, their entry
-- is marked placed.
local on_waitlist = {}
for _, entry in ipairs(waiting(dream)) do on_waitlist[entry.member.id] = entry end

local students = members{ tag = "student-hardship" }
  :order_by("disability_grade", "income", "applied_on")

local rows = {}
local awarded, waiting, skipped = 0, 0, 0
for s in students:each() do
  local line = { name = s.name, town = s.town_name, grade = s.disability_grade, income = s.income }
  if dream:paid(s, year) > 0 then
    skipped = skipped + 1
    line.result = "already awarded"
  elseif fund:available() >= award then
    local why = { programme = dream, period = year, memo = s.university }
    why.kind = "tuition"
    fund:grant(s, tuition, why)
    why.kind = "living"
    fund:grant(s, living, why)
    if on_waitlist[s.id] then update(on_waitlist[s.id], "status", "placed") end
    awarded = awarded + 1
    line.amount = award
    line.result = "awarded"
  else
    local reason = ("fund exhausted: %s left, %s needed"):format(money.format(fund:available()), money.format(award))
    waitlist(s, dream, reason)
    waiting = waiting + 1
    line.result = "waitlisted"
  end
  rows[#rows + 1] = line
end

report.heading(("Dream scholarship %d: %s a student (%s tuition + %s living)"):format(
  year, money.format(award), money.format(tuition), money.format(living)))
report.table(rows, { "name", "town", "grade", "income:money", "amount:money", "result" })
report.summary{
  ["awarded"] = awarded,
  ["waitlisted"] = waiting,
  ["already awarded"] = skipped,
  ["paid out"] = money.format(awarded * award),
  ["left in the fund"] = money.format(fund:available()),
}
