import GRDB

extension SchemaV1 {
    /// Users, stored scripts, schedules, runs, idempotency keys, audit and settings.
    static func createRunsAndScheduling(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                os_account TEXT UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'approver', 'admin')),
                scope_place_id INTEGER NOT NULL REFERENCES places(id),
                can_unmask INTEGER NOT NULL DEFAULT 0 CHECK (can_unmask IN (0, 1)),
                disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                created_at TEXT NOT NULL
            );

            CREATE TABLE scripts (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                created_by INTEGER REFERENCES users(id)
            );

            -- Maker differs from checker, enforced here as well as in the host.
            CREATE TABLE script_versions (
                id INTEGER PRIMARY KEY,
                script_id INTEGER NOT NULL REFERENCES scripts(id),
                version INTEGER NOT NULL CHECK (version >= 1),
                source TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                author_id INTEGER NOT NULL REFERENCES users(id),
                created_at TEXT NOT NULL,
                approved_by INTEGER REFERENCES users(id),
                approved_at TEXT,
                UNIQUE (script_id, version),
                CHECK (approved_by IS NULL OR approved_by <> author_id),
                CHECK ((approved_by IS NULL) = (approved_at IS NULL))
            );

            CREATE TABLE schedules (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                script_id INTEGER NOT NULL REFERENCES scripts(id),
                cron TEXT NOT NULL,
                time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
                catch_up TEXT NOT NULL DEFAULT 'latest' CHECK (catch_up IN ('skip', 'latest', 'all')),
                max_catch_up INTEGER NOT NULL DEFAULT 24 CHECK (max_catch_up >= 1),
                overlap TEXT NOT NULL DEFAULT 'forbid' CHECK (overlap IN ('forbid', 'allow')),
                params_json TEXT NOT NULL DEFAULT '{}',
                run_as_user_id INTEGER REFERENCES users(id),
                commit_effects INTEGER NOT NULL DEFAULT 1 CHECK (commit_effects IN (0, 1)),
                enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
                last_slot_at TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                max_retries INTEGER NOT NULL DEFAULT 0 CHECK (max_retries >= 0),
                created_by INTEGER REFERENCES users(id),
                created_at TEXT NOT NULL
            );

            -- One row per (schedule, nominal time): the UNIQUE key is what makes a slot run at
            -- most once, whichever runner claims it first.
            CREATE TABLE schedule_slots (
                id INTEGER PRIMARY KEY,
                schedule_id INTEGER NOT NULL REFERENCES schedules(id),
                nominal_at TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN
                    ('claimed', 'running', 'succeeded', 'failed', 'skipped', 'abandoned')),
                runner_id TEXT NOT NULL,
                claimed_at TEXT NOT NULL,
                finished_at TEXT,
                attempt INTEGER NOT NULL DEFAULT 1,
                reason TEXT,
                UNIQUE (schedule_id, nominal_at)
            );
            CREATE INDEX schedule_slots_status ON schedule_slots(status);

            CREATE TABLE runner_heartbeats (
                runner_id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                last_tick_at TEXT NOT NULL,
                interval_seconds INTEGER NOT NULL
            );

            """)
        try db.execute(sql: runsTable)
        try db.execute(sql: """

            -- Each idempotency key is applied at most once: the primary key refuses a second.
            -- Keys are unique per namespace (ledger, quota_booking, enrolment), as in Core.
            -- No longer written or read: each key lives on its own row (ledger, quota_bookings,
            -- enrolments), unique there; the rows here are history from before that.
            CREATE TABLE idempotency_keys (
                namespace TEXT NOT NULL,
                key TEXT NOT NULL,
                run_id INTEGER REFERENCES runs(id),
                applied_at TEXT NOT NULL,
                PRIMARY KEY (namespace, key)
            ) WITHOUT ROWID;

            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                user_id INTEGER REFERENCES users(id),
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                object_type TEXT,
                object_id TEXT,
                run_id INTEGER REFERENCES runs(id),
                script_hash TEXT,
                details_json TEXT NOT NULL DEFAULT '{}'
            );
            CREATE INDEX audit_at ON audit(at);
            CREATE INDEX audit_user ON audit(user_id, at);
            CREATE INDEX audit_run ON audit(run_id);

            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// Every run: who, which script, with what, what it proposed, and what became of it.
    private static let runsTable = """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                user_id INTEGER REFERENCES users(id),
                acting_as_user_id INTEGER REFERENCES users(id),
                script_name TEXT NOT NULL,
                script_hash TEXT NOT NULL,
                script_version INTEGER,
                trigger TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'repl')),
                mode TEXT NOT NULL DEFAULT 'dry_run' CHECK (mode IN ('dry_run', 'commit')),
                params_json TEXT NOT NULL DEFAULT '{}',
                -- previewed: a dry run; committed: effects applied; pending_approval: above the
                -- approval threshold, stored not applied; refused: an invariant said no; the
                -- rest say how a run that did not finish ended.
                status TEXT NOT NULL CHECK (status IN
                    ('running', 'previewed', 'committed', 'pending_approval', 'rejected', 'refused',
                     'failed', 'timed_out', 'crashed', 'abandoned')),
                effects_json TEXT NOT NULL DEFAULT '[]',
                output TEXT NOT NULL DEFAULT '',
                error TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                duration_ms INTEGER,
                committed_at TEXT,
                schedule_id INTEGER REFERENCES schedules(id),
                slot_id INTEGER REFERENCES schedule_slots(id),
                slot_at TEXT,
                runner_id TEXT,
                decided_by INTEGER REFERENCES users(id),
                decided_at TEXT,
                decision_reason TEXT
            );
            CREATE INDEX runs_script ON runs(script_name, started_at);
            CREATE INDEX runs_status ON runs(status, started_at);

        """
}
