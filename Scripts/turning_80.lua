-- 年满80周岁 — residents turning 80 this month become eligible for home-visit service.
--
-- Everyone whose 80th birthday falls in the month is enrolled in the home-visit programme
-- (高龄老人上门服务), starting on the first day of the month after the birthday, and their
-- record gets the quarterly service hours (8 a quarter until 90) from that quarter on, so
-- the home-visit-hours script counts them from then. The enrolment's key is the person and
-- the programme, and records that already have hours are left alone, so nobody is enrolled
-- or set up twice.
script {
  name = "turning-80",
  title = "Enrol residents turning 80 this month in the home-visit programme",
  idempotent = true,
  params = {
    month = { type = "period", help = "the birthday month, e.g. 2025-06 (default: this month)",
              default = tostring(month(today())) },
  },
}

local birthday_month = params.month
if birthday_month.kind ~= "month" then
  error("month must be a month such as 2025-06, not " .. tostring(birthday_month))
end
local home_visit = programme "home-visit"
local born_from = birthday_month.first_day - years(80)
local born_to = birthday_month.last_day - years(80)
local starts = birthday_month:next().first_day
local hours = home_visit:param("hours_80_89", starts)

local rows, new = {}, 0
for person in members{ born_between = { born_from:iso(), born_to:iso() } }:order_by("birth_date", "id"):each() do
  if enrol(person, home_visit, { start = starts }) then new = new + 1 end
  if (person.home_visit_hours or 0) == 0 then
    if not person.elderly then update(person, "elderly", true) end
    update(person, "home_visit_hours", hours)
    update(person, "home_visit_quarter", quarter(starts))
  end
  rows[#rows + 1] = { name = person.name, town = person.town_name, born = person.birth_date:iso(),
                      starts = starts:iso() }
end

report.heading(("Turning 80 in %s: home-visit service from %s"):format(tostring(birthday_month), starts:iso()))
report.table(rows, { "name", "town", "born", "starts" })
report.summary{ ["turning 80"] = #rows, ["newly enrolled"] = new }
