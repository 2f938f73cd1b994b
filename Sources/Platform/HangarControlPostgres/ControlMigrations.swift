import HangarFlights

/// The PostgreSQL control store's schema, as numbered migrations. A released migration never
/// changes; later changes are new migrations appended here. Applied versions are recorded in
/// `hangar_schema_migrations`.
///
/// Tables and columns follow the SQLite store's `ControlSchema` (its v1–v4, folded into version 1
/// here) plus what scale-out needs: workers, the worker holding a run, and sealed secrets.
enum ControlMigrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let sql: [String]
    }

    /// Every migration runs under this transaction-scoped advisory lock, so hosts starting at
    /// once take turns and the second finds nothing left to do. PostgreSQL's DDL is
    /// transactional: a migration is applied whole or not at all.
    static let lockKey: Int64 = 0x4841_4E47_4152 // "HANGAR"

    static let all: [Migration] = [
        Migration(version: 1, name: "flights, versions, runs, logs, secrets, schedule state, workers", sql: [
            """
            CREATE TABLE flights (
                id TEXT PRIMARY KEY,
                -- Insertion order, the tie-breaker SQLite's rowid is for the same queries.
                rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                name TEXT NOT NULL,
                schedule_cron TEXT,
                schedule_status TEXT CHECK (schedule_status IN ('ACTIVE', 'DISABLED')),
                schedule_since BIGINT,
                catch_up TEXT NOT NULL DEFAULT 'latest' CHECK (catch_up IN ('latest', 'none', 'all')),
                current_version INTEGER NOT NULL,
                last_run_number INTEGER NOT NULL DEFAULT 0,
                owner_name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                CHECK ((schedule_cron IS NULL) = (schedule_status IS NULL)),
                CHECK ((schedule_cron IS NULL) = (schedule_since IS NULL))
            )
            """,
            // SQLite's COLLATE NOCASE folds ASCII letters only; lower() in a database made with
            // the C collation does the same.
            "CREATE UNIQUE INDEX flights_name_ignoring_case ON flights (lower(name))",
            """
            CREATE TABLE flight_versions (
                id TEXT PRIMARY KEY,
                flight_id TEXT NOT NULL REFERENCES flights(id),
                number INTEGER NOT NULL CHECK (number >= 1),
                created_at BIGINT NOT NULL,
                runtime TEXT NOT NULL CHECK (runtime IN ('python', 'swift')),
                source_code TEXT NOT NULL,
                requirements_txt TEXT,
                config TEXT NOT NULL DEFAULT '{}',
                flight_secret_names TEXT NOT NULL DEFAULT '[]',
                access_token_name TEXT,
                max_runtime_sec INTEGER CHECK (max_runtime_sec >= 0),
                instance_type TEXT,
                UNIQUE (flight_id, number)
            )
            """,
            """
            CREATE FUNCTION hangar_refuse_version_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'flight versions are immutable';
            END $$
            """,
            """
            CREATE TRIGGER flight_versions_are_immutable BEFORE UPDATE ON flight_versions
            FOR EACH ROW EXECUTE FUNCTION hangar_refuse_version_update()
            """,
            // A worker: a `hangar worker` or a `hangar serve` that runs work. It heartbeats; one
            // silent for longer than the bound is declared lost once (lost_at) and its runs fail.
            """
            CREATE TABLE workers (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                host TEXT NOT NULL,
                slots INTEGER NOT NULL CHECK (slots >= 1),
                started_at BIGINT NOT NULL,
                heartbeat_at BIGINT NOT NULL,
                stopped_at BIGINT,
                lost_at BIGINT,
                CHECK (stopped_at IS NULL OR lost_at IS NULL)
            )
            """,
            """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                flight_id TEXT NOT NULL REFERENCES flights(id),
                flight_name TEXT NOT NULL,
                flight_version INTEGER NOT NULL,
                run_number INTEGER NOT NULL CHECK (run_number >= 1),
                is_scheduled BOOLEAN NOT NULL,
                scheduled_at BIGINT,
                status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
                config TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                ended_at BIGINT,
                cancel_requested_at BIGINT,
                cancelled_at BIGINT,
                exit_code INTEGER,
                failure_kind TEXT CHECK (failure_kind IN ('exit_code', 'signal', 'timeout', 'cancelled',
                    'build_failure', 'install_failure', 'launch_failure', 'supervisor_lost', 'worker_lost')),
                failure_detail TEXT,
                supervisor_pid INTEGER,
                supervisor_start_token TEXT,
                program_pid INTEGER,
                program_start_token TEXT,
                load_summary TEXT,
                -- The worker that claimed the run, and when; NULL while the run waits for one.
                worker_id TEXT REFERENCES workers(id),
                claimed_at BIGINT,
                UNIQUE (flight_id, run_number),
                -- The idempotency key of a scheduled fire: two schedulers never record one fire
                -- twice. Manual runs have NULL here, and NULLs never clash.
                UNIQUE (flight_id, scheduled_at),
                CHECK (is_scheduled = (scheduled_at IS NOT NULL)),
                CHECK ((worker_id IS NULL) = (claimed_at IS NULL)),
                FOREIGN KEY (flight_id, flight_version) REFERENCES flight_versions(flight_id, number)
            )
            """,
            // Workers LISTEN on hangar_runs and claim at once instead of at their next look.
            // Identical notifications of one transaction are merged: one wake-up per commit.
            """
            CREATE FUNCTION hangar_notify_runs() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('hangar_runs', '');
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER runs_notify AFTER INSERT ON runs
            FOR EACH ROW EXECUTE FUNCTION hangar_notify_runs()
            """,
            // What workers poll: unclaimed pending runs, oldest first.
            "CREATE INDEX runs_waiting ON runs (created_at, id) WHERE status = 'PENDING' AND worker_id IS NULL",
            "CREATE INDEX runs_in_progress ON runs (worker_id) WHERE status IN ('PENDING', 'RUNNING')",
            "CREATE INDEX runs_by_creation ON runs (created_at)",
            "CREATE INDEX runs_by_end ON runs (ended_at) WHERE ended_at IS NOT NULL",
            """
            CREATE TABLE log_lines (
                run_id TEXT NOT NULL REFERENCES runs(id),
                line_number INTEGER NOT NULL CHECK (line_number >= 1),
                reported_at BIGINT NOT NULL,
                stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
                line TEXT NOT NULL,
                PRIMARY KEY (run_id, line_number)
            )
            """,
            // Followers on any host LISTEN on hangar_log_lines; the payload is the run's id.
            // Notifications are sent at commit, and identical ones in one transaction are merged,
            // so a batch of lines wakes each follower once.
            """
            CREATE FUNCTION hangar_notify_log_lines() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('hangar_log_lines', NEW.run_id);
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER log_lines_notify AFTER INSERT ON log_lines
            FOR EACH ROW EXECUTE FUNCTION hangar_notify_log_lines()
            """,
            // Secret params are sealed (AES-GCM) by the hosts before they reach the database, with
            // a key the database never sees: see SecretSealer.
            """
            CREATE TABLE secrets (
                name TEXT PRIMARY KEY,
                params BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE schedule_state (
                flight_id TEXT PRIMARY KEY REFERENCES flights(id),
                last_fire_at BIGINT NOT NULL
            )
            """,
            // The MotherDuck token and other account-wide values, sealed like secrets.
            """
            CREATE TABLE account_settings (
                key TEXT PRIMARY KEY,
                value BYTEA NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]),
    ]
}

extension PostgresControlStore {
    /// Applies the migrations this database lacks, all in one transaction holding the migration
    /// lock, and returns the versions it applied (none when another host or an earlier call
    /// applied them). Safe to call from any number of hosts at once.
    @discardableResult
    public func migrate() throws(FlightsError) -> [Int] {
        try migrate(ControlMigrations.all)
    }

    func migrate(_ migrations: [ControlMigrations.Migration]) throws(FlightsError) -> [Int] {
        try transaction(begin: "BEGIN", lock: ControlMigrations.lockKey) { db in
            try db.execute("""
                CREATE TABLE IF NOT EXISTS hangar_schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let applied = Set(try db.rows("SELECT version FROM hangar_schema_migrations").map { $0["version"] as Int })
            if let newest = applied.max(), let known = migrations.last?.version, newest > known {
                throw FlightsError.storage("the PostgreSQL control store is at schema version \(newest), newer than this Hangar knows (\(known)); upgrade Hangar on this host")
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.sql { try db.execute(statement) }
                try db.execute("INSERT INTO hangar_schema_migrations (version, name) VALUES (?, ?)", [migration.version, migration.name])
                done.append(migration.version)
            }
            return done
        }
    }

    /// The versions applied to this database, in order.
    public func appliedMigrations() throws(FlightsError) -> [Int] {
        try read { db in try db.rows("SELECT version FROM hangar_schema_migrations ORDER BY version").map { $0["version"] as Int } }
    }
}
