import GRDB

extension SchemaV1 {
    /// Programmes, quotas, budgets and the ledger, and what programmes give to people:
    /// enrolments, waitlists, public-welfare posts, loans, reminders.
    static func createProgrammesAndMoney(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE programmes (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                office TEXT NOT NULL,
                kind TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                -- Core's QuotaRule values, as JSON: read and written whole, never queried.
                quota_rules_json TEXT NOT NULL DEFAULT '[]'
            );

            -- A programme's rule values: money in fen, or a plain integer (a count, hours,
            -- basis points), each valid over a date range so a change of rule keeps its history.
            CREATE TABLE benefit_parameters (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                name TEXT NOT NULL,
                value INTEGER NOT NULL,
                unit TEXT NOT NULL CHECK (unit IN ('money', 'integer')),
                effective_from TEXT NOT NULL,
                effective_to TEXT,
                UNIQUE (programme_id, name, effective_from)
            );

            -- place_id is the district's own place for a district-wide quota: never NULL, so
            -- that UNIQUE really holds one quota per programme, period and place.
            -- period_start/period_end (first and last day) make "this period lies within that
            -- one" two text comparisons.
            CREATE TABLE quotas (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                period TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                place_id INTEGER NOT NULL REFERENCES places(id),
                quota_limit INTEGER NOT NULL CHECK (quota_limit >= 0),
                hard INTEGER NOT NULL DEFAULT 1 CHECK (hard IN (0, 1)),
                UNIQUE (programme_id, period, place_id)
            );
            CREATE INDEX quotas_programme_period ON quotas(programme_id, period);

            CREATE TABLE budgets (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                office TEXT NOT NULL,
                year INTEGER NOT NULL,
                total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
                place_id INTEGER NOT NULL REFERENCES places(id),
                programme_id INTEGER REFERENCES programmes(id),
                allow_town_draw INTEGER NOT NULL DEFAULT 0 CHECK (allow_town_draw IN (0, 1))
            );
            """)

        try db.execute(sql: """
            -- available = total - allocations - disbursements + refunds + adjustments (signed).
            -- Append-only (see the guards): a correction is a new entry, which may name the
            -- entry it reverses.
            CREATE TABLE ledger (
                id INTEGER PRIMARY KEY,
                budget_id INTEGER NOT NULL REFERENCES budgets(id),
                kind TEXT NOT NULL CHECK (kind IN ('allocation', 'disbursement', 'refund', 'adjustment')),
                amount_fen INTEGER NOT NULL,
                member_id INTEGER REFERENCES members(id),
                place_id INTEGER REFERENCES places(id),
                facility_id INTEGER REFERENCES facilities(id),
                programme_id INTEGER REFERENCES programmes(id),
                benefit_kind TEXT,
                period TEXT,
                reverses_entry_id INTEGER REFERENCES ledger(id),
                memo TEXT NOT NULL DEFAULT '',
                run_id INTEGER REFERENCES runs(id),
                idempotency_key TEXT,
                created_at TEXT NOT NULL,
                CHECK (kind = 'adjustment' OR amount_fen > 0),
                CHECK (amount_fen <> 0)
            );
            CREATE INDEX ledger_budget ON ledger(budget_id, kind);
            CREATE INDEX ledger_programme_period ON ledger(programme_id, period);
            CREATE INDEX ledger_member ON ledger(member_id) WHERE member_id IS NOT NULL;
            CREATE UNIQUE INDEX ledger_idempotency ON ledger(idempotency_key) WHERE idempotency_key IS NOT NULL;

            -- A booking counts against every quota of its programme whose period contains its
            -- period and whose place contains its place (a district-wide quota contains all).
            CREATE TABLE quota_bookings (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                period TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                place_id INTEGER REFERENCES places(id),
                amount INTEGER NOT NULL CHECK (amount <> 0),
                member_id INTEGER REFERENCES members(id),
                facility_id INTEGER REFERENCES facilities(id),
                memo TEXT NOT NULL DEFAULT '',
                run_id INTEGER REFERENCES runs(id),
                idempotency_key TEXT UNIQUE,
                created_at TEXT NOT NULL
            );
            CREATE INDEX quota_bookings_programme ON quota_bookings(programme_id, period_start);

            CREATE TABLE enrolments (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                member_id INTEGER NOT NULL REFERENCES members(id),
                facility_id INTEGER REFERENCES facilities(id),
                starts_on TEXT NOT NULL,
                ends_on TEXT,
                run_id INTEGER REFERENCES runs(id),
                idempotency_key TEXT UNIQUE,
                created_at TEXT NOT NULL
            );
            CREATE INDEX enrolments_member ON enrolments(member_id, programme_id);
            CREATE INDEX enrolments_programme ON enrolments(programme_id, starts_on);
            CREATE INDEX enrolments_facility ON enrolments(facility_id) WHERE facility_id IS NOT NULL;

            CREATE TABLE waitlist (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                member_id INTEGER NOT NULL REFERENCES members(id),
                facility_id INTEGER REFERENCES facilities(id),
                reason TEXT NOT NULL DEFAULT '',
                -- Core's WaitlistEffect.naturalKey: member|programme|facility.
                natural_key TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'placed', 'withdrawn')),
                run_id INTEGER REFERENCES runs(id),
                created_at TEXT NOT NULL,
                status_at TEXT
            );
            -- One open waiting place per person and programme.
            CREATE UNIQUE INDEX waitlist_open ON waitlist(natural_key) WHERE status = 'waiting';

            CREATE TABLE welfare_posts (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                place_id INTEGER NOT NULL REFERENCES places(id),
                facility_id INTEGER REFERENCES facilities(id),
                member_id INTEGER REFERENCES members(id),
                monthly_pay_fen INTEGER NOT NULL CHECK (monthly_pay_fen >= 0),
                social_insurance INTEGER NOT NULL DEFAULT 1 CHECK (social_insurance IN (0, 1)),
                starts_on TEXT NOT NULL,
                ends_on TEXT
            );
            CREATE INDEX welfare_posts_member ON welfare_posts(member_id);

            CREATE TABLE loans (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                member_id INTEGER NOT NULL REFERENCES members(id),
                programme_id INTEGER NOT NULL REFERENCES programmes(id),
                principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
                interest_rate_bp INTEGER NOT NULL CHECK (interest_rate_bp >= 0),
                premium_rate_bp INTEGER NOT NULL CHECK (premium_rate_bp >= 0),
                starts_on TEXT NOT NULL,
                due_on TEXT NOT NULL,
                repaid_on TEXT
            );
            CREATE INDEX loans_member ON loans(member_id);
            CREATE INDEX loans_due ON loans(due_on);

            -- The outbox of reminders. dedup_key makes a reminder exist once however often a
            -- script proposes it.
            CREATE TABLE reminders (
                id INTEGER PRIMARY KEY,
                dedup_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                subject_kind TEXT NOT NULL,
                subject_id TEXT NOT NULL,
                -- The subject's town (or the district), so reminders can be listed per town.
                place_id INTEGER REFERENCES places(id),
                due_on TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'done')),
                run_id INTEGER REFERENCES runs(id),
                created_at TEXT NOT NULL,
                status_at TEXT
            );
            CREATE INDEX reminders_status_due ON reminders(status, due_on);
            """)
    }
}
