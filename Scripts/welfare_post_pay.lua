-- 公益性岗位工资发放 — monthly pay for the public-welfare posts in elderly care.
--
-- Before anything is paid, every post held this month is checked. The whole run is refused
-- (nothing is paid to anyone) if
--   * a post pays less than the local minimum wage (最低工资标准, 2,280 yuan a month),
--   * one person holds two posts (一人多岗), or
--   * a post has no social insurance (社会保险), which the programme requires.
-- Otherwise each holder is paid the post's monthly pay from this year's budget. Each payment
-- carries the post, the holder and the month as its key, so running the same month again
-- pays nobody twice.
script {
  name = "welfare-post-pay",
  title = "Pay the public-welfare posts for a month",
  idempotent = true,
  params = {
    month = { type = "period", help = "the month to pay, e.g. 2025-06 (default: this month)",
              default = tostring(month(today())) },
  },
}

local pay_month = params.month
if pay_month.kind ~= "month" then
  error("month must be a month such as 2025-06, not " .. tostring(pay_month))
end
local posts_programme = programme "welfare-posts"
local minimum_wage = posts_programme:param("minimum_wage", pay_month.first_day)
local wages = budget("welfare-posts-" .. pay_month.year)

-- 1. Check every post held this month; collect every problem before refusing.
local held, problems, vacant = {}, {}, 0
local post_of = {}   -- member id → the first post they hold
for _, post in ipairs(welfare_posts()) do
  if post:active_in(pay_month) then
    local holder = post.member
    if holder == nil then
      vacant = vacant + 1
    else
      if post.monthly_pay < minimum_wage then
        problems[#problems + 1] = ("%s (%s) pays %s, under the minimum wage of %s"):format(
          post.code, holder.name, money.format(post.monthly_pay), money.format(minimum_wage))
      end
      if post_of[holder.id] then
        problems[#problems + 1] = ("%s (member %d) holds two posts: %s and %s"):format(
          holder.name, holder.id, post_of[holder.id], post.code)
      else
        post_of[holder.id] = post.code
      end
      if not post.social_insurance then
        problems[#problems + 1] = ("%s (%s) has no social insurance"):format(post.code, holder.name)
      end
      held[#held + 1] = post
    end
  end
end
if #problems > 0 then
  error(("%s: refused, nothing paid — %d problem(s):\n  %s"):format(
    tostring(pay_month), #problems, table.concat(problems, "\n  ")))
end

-- 2. Pay each holder; a repeated month finds every payment already made.
local paid, total, by_pay = 0, 0, {}
for _, post in ipairs(held) do
  local new = wages:grant(post.member, post.monthly_pay, {
    programme = posts_programme, kind = "wage", period = pay_month,
    key = ("welfare-post-pay|%s|%s|m%d"):format(tostring(pay_month), post.code, post.member.id),
    memo = post.title,
  })
  if new then
    paid = paid + 1
    total = total + post.monthly_pay
    by_pay[post.monthly_pay] = (by_pay[post.monthly_pay] or 0) + 1
  end
end

local rows = {}
for amount, count in pairs(by_pay) do rows[#rows + 1] = { pay = amount, posts = count, subtotal = amount * count } end
table.sort(rows, function(a, b) return a.pay < b.pay end)
report.heading(("Public-welfare post pay for %s (minimum wage %s)"):format(
  tostring(pay_month), money.format(minimum_wage)))
report.table(rows, { "pay:money", "posts", "subtotal:money" })
report.summary{
  ["posts held"] = #held,
  ["posts vacant"] = vacant,
  ["paid now"] = paid,
  ["already paid"] = #held - paid,
  ["total"] = money.format(total),
}
