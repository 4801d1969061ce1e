-- 托养安置 — placements at the sheltered care centre (庇护托养中心) and the star workshop
-- (星工坊) from their waitlists, and occupancy against the 80 % target.
--
-- People waiting for a place are placed in the order they applied, as long as the facility
-- has a free place: a facility is never filled beyond its capacity (the host refuses it
-- too). Each placement is an enrolment starting today, and the waitlist entry is marked
-- placed. Afterwards, every care facility under the occupancy target (入住率 80 %) is listed.
script {
  name = "facility-placements",
  title = "Place people from the waitlists without exceeding capacity; report occupancy under 80 %",
  idempotent = true,
  params = {
    programme = { type = "string", default = "sheltered-care", help = "the placement programme" },
  },
}

local placement = programme(params.programme)
local target = placement:param("occupancy_target_percent")   -- 80

local placed_rows, still_waiting = {}, 0
for f in facilities{ kind = { "sheltered_care_centre", "star_workshop", "disabled_persons_home" } }:each() do
  for _, entry in ipairs(waiting(placement, f)) do
    if f.free_places > 0 then
      enrol(entry.member, placement, { start = today(), facility = f })
      update(entry, "status", "placed")
      placed_rows[#placed_rows + 1] = { facility = f.name, name = entry.member.name, since = entry.since:iso(),
                                        places = ("%d/%d"):format(f.occupancy, f.capacity) }
    else
      still_waiting = still_waiting + 1
    end
  end
end

-- Occupancy after the placements above (a facility's occupancy counts this run's enrolments).
local under = {}
for f in facilities{ kind = { "sheltered_care_centre", "disabled_persons_home", "elderly_care_institution",
                              "star_workshop" } }:order_by("code"):each() do
  local percent = f:occupancy_percent()
  if percent < target then
    under[#under + 1] = { facility = f.name, kind = f.kind_name, occupancy = f.occupancy, capacity = f.capacity,
                          rate = percent }
  end
end

report.heading("Placements from the waitlists")
report.table(placed_rows, { "facility", "name", "since", "places" })
report.heading(("Facilities under the %d%% occupancy target"):format(target))
report.table(under, { "facility", "kind", "occupancy", "capacity", "rate:percent" })
report.summary{ ["placed"] = #placed_rows, ["still waiting (no free place)"] = still_waiting,
                ["under target"] = #under }
