-- 创保贷贴息及保费返还 — entrepreneurship-loan interest subsidy and premium refund.
--
-- A loan repaid on time (按期还款) earns, paid onto the borrower's union service card:
--   * an interest subsidy (贴息) on the interest for the days the loan ran: 100 % of the base
--     rate on the part of the principal up to 100,000 yuan, 50 % on the part above it;
--   * a refund of the 3 % insurance premium (保费返还).
-- All amounts are integer fen. The subsidy is rounded once, then split into its two lines
-- (100 % part, 50 % part) by largest remainder, so the lines add up to it exactly.
-- Loans repaid late or not yet repaid get nothing; overdue ones are listed as warnings.
-- Each line's key is the loan and the line, so a second run pays nothing twice.
script {
  name = "loan-interest-subsidy",
  title = "Entrepreneurship loans: interest subsidy and premium refund after on-time repayment",
  idempotent = true,
  params = {
    year = { type = "integer", default = 2025, help = "pay loans repaid in this year, from its budget" },
  },
}

local year = params.year
local loans_programme = programme "entrepreneurship-loan"
local fund = budget("loan-subsidy-" .. year)
local full_cap = loans_programme:param("full_subsidy_cap")   -- 100,000 yuan, in fen

local rows = {}
local totals = { subsidy_100 = 0, subsidy_50 = 0, premium = 0 }
local paid_loans, overdue = 0, 0
for _, loan in ipairs(loans()) do
  local repaid = loan.repaid_on
  if repaid == nil then
    if loan.due_on < today() then
      overdue = overdue + 1
      warn(("loan %s of %s was due on %s and is not repaid"):format(loan.code, loan.member.name, loan.due_on:iso()))
    end
  elseif loan.repaid_on_time and repaid.year == year then
    local principal = loan.principal
    local held_days = repaid - loan.starts_on
    local full_part = math.min(principal, full_cap)
    local half_part = principal - full_part
    -- interest × (100 % of the first part + 50 % of the rest), over the days held, actual/365:
    -- (2 × full + half) × rate × days ÷ (2 × 10,000 × 365), rounded once, half up.
    local subsidy = money.scale(2 * full_part + half_part, loan.interest_rate_bp * held_days, 2 * 10000 * 365)
    local lines = allocate.largest_remainder(subsidy, { subsidy_100 = 2 * full_part, subsidy_50 = half_part })
    lines.premium = money.scale(principal, loan.premium_rate_bp, 10000)

    local new = false
    for _, kind in ipairs{ "subsidy_100", "subsidy_50", "premium" } do
      local amount = lines[kind]
      if amount > 0 then
        local made = fund:grant(loan.member, amount, {
          programme = loans_programme, kind = kind == "premium" and "premium_refund" or "interest_" .. kind,
          period = year, key = ("loan-subsidy|%s|%s"):format(loan.code, kind),
          memo = loan.code,
        })
        if made then
          new = true
          totals[kind] = totals[kind] + amount
        end
      end
    end
    if new then
      paid_loans = paid_loans + 1
      rows[#rows + 1] = {
        loan = loan.code, name = loan.member.name, principal = principal, days = held_days,
        subsidy_100 = lines.subsidy_100, subsidy_50 = lines.subsidy_50, premium = lines.premium,
        total = lines.subsidy_100 + lines.subsidy_50 + lines.premium,
      }
    end
  end
end

local all = totals.subsidy_100 + totals.subsidy_50 + totals.premium
report.heading(("Entrepreneurship loans repaid on time in %d"):format(year))
report.table(rows, { "loan", "name", "principal:money", "days", "subsidy_100:money", "subsidy_50:money",
                     "premium:money", "total:money" })
report.summary{
  ["loans paid"] = paid_loans,
  ["loans overdue"] = overdue,
  ["interest subsidy (100 %)"] = money.format(totals.subsidy_100),
  ["interest subsidy (50 %)"] = money.format(totals.subsidy_50),
  ["premium refunds"] = money.format(totals.premium),
  ["total"] = money.format(all),
}
