-- 年满80周岁 — residents turning 80 this month become eligible for home-visit service.
--
-- Everyone whose 80th birthday falls in the month is enrolled in the home-visit programme
-- (高龄老人上门服务), starting on the first day of the month after the birthday. The
-- enrolment's key is the person and the programme, so nobody is enrolled twice.
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

local rows, new = {}, 0
for person in members{ born_between = { born_from:iso(), born_to:iso() } }:order_by("birth_date", "id"):each() do
  if enrol(person, home_visit, { start = starts }) then new = new + 1 end
  rows[#rows + 1] = { name = person.name, town = person.town_name, born = person.birth_date:iso(),
                      starts = starts:iso() }
end

report.heading(("Turning 80 in %s: home-visit service from %s"):format(tostring(birthday_month), starts:iso()))
report.table(rows, { "name", "town", "born", "starts" })
report.summary{ ["turning 80"] = #rows, ["newly enrolled"] = new }
