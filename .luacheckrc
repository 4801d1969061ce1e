-- luacheck configuration for Steward's administrator scripts (luacheck Scripts/).
-- Scripts run in Lua 5.4 with the Steward host API as read-only globals; see Stdlib/ and
-- Sources/StewardScripting/Host/ for what each one does.
std = "lua54"
max_line_length = 120

read_globals = {
  -- the script header, its typed parameters and facts about the run
  "script", "params", "run",
  -- people, places and what programmes have given them
  "members", "member", "facilities", "facility", "welfare_posts", "loans", "waiting",
  -- money and rules
  "budget", "programme",
  -- effects a script proposes (buffered; applied only with --commit)
  "remind", "waitlist", "enrol", "update", "warn",
  -- money in integer fen
  "yuan", "fen", "money",
  -- dates and periods
  "today", "date", "days", "months", "years", "period", "month", "quarter", "year", "age",
  -- the Lua standard library of the domain (Stdlib/)
  "allocate", "tiers", "report",
}
