import GRDB

/// The control store's tables, as versioned migrations. A migration, once released, never
/// changes: later schema changes are new migrations appended here.
///
/// Conventions: ids are lower-case UUID text (as DuckDB prints UUIDs); instants are INTEGER
/// microseconds since 1970 UTC (DuckDB's TIMESTAMPTZ precision, exact equality for the
/// scheduled-fire guard); maps and lists are JSON text with sorted keys.
enum ControlSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: flights, versions, runs, logs, secrets, schedule state") { db in
            try db.execute(sql: """
                CREATE TABLE flights (
                    id TEXT PRIMARY KEY NOT NULL,
                    -- Unique ignoring ASCII case, so lookup by name is unambiguous.
                    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
                    schedule_cron TEXT,
                    schedule_status TEXT CHECK (schedule_status IN ('ACTIVE', 'DISABLED')),
                    -- When the current schedule took effect: fires before it were never missed.
                    schedule_since INTEGER,
                    catch_up TEXT NOT NULL DEFAULT 'latest' CHECK (catch_up IN ('latest', 'none', 'all')),
                    current_version INTEGER NOT NULL,
                    -- Run numbers are allocated from here, so they are never reused.
                    last_run_number INTEGER NOT NULL DEFAULT 0,
                    owner_name TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    CHECK ((schedule_cron IS NULL) = (schedule_status IS NULL)),
                    CHECK ((schedule_cron IS NULL) = (schedule_since IS NULL))
                );

                CREATE TABLE flight_versions (
                    id TEXT PRIMARY KEY NOT NULL,
                    flight_id TEXT NOT NULL REFERENCES flights(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    created_at INTEGER NOT NULL,
                    runtime TEXT NOT NULL CHECK (runtime IN ('python', 'swift')),
                    source_code TEXT NOT NULL,
                    requirements_txt TEXT,
                    config TEXT NOT NULL DEFAULT '{}',
                    flight_secret_names TEXT NOT NULL DEFAULT '[]',
                    access_token_name TEXT,
                    max_runtime_sec INTEGER CHECK (max_runtime_sec >= 0),
                    instance_type TEXT,
                    UNIQUE (flight_id, number)
                );

                -- Versions are immutable: a run executes exactly what its version says.
                CREATE TRIGGER flight_versions_are_immutable BEFORE UPDATE ON flight_versions
                BEGIN
                    SELECT RAISE(ABORT, 'flight versions are immutable');
                END;

                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    flight_id TEXT NOT NULL REFERENCES flights(id),
                    flight_name TEXT NOT NULL,
                    flight_version INTEGER NOT NULL,
                    run_number INTEGER NOT NULL CHECK (run_number >= 1),
                    is_scheduled INTEGER NOT NULL CHECK (is_scheduled IN (0, 1)),
                    scheduled_at INTEGER,
                    status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
                    config TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    ended_at INTEGER,
                    cancel_requested_at INTEGER,
                    cancelled_at INTEGER,
                    exit_code INTEGER,
                    failure_kind TEXT CHECK (failure_kind IN ('exit_code', 'signal', 'timeout', 'cancelled',
                        'build_failure', 'install_failure', 'launch_failure', 'supervisor_lost')),
                    failure_detail TEXT,
                    supervisor_pid INTEGER,
                    supervisor_start_token TEXT,
                    UNIQUE (flight_id, run_number),
                    -- Two schedulers never record one fire twice; manual runs have NULL here,
                    -- and NULLs never clash.
                    UNIQUE (flight_id, scheduled_at),
                    CHECK (is_scheduled = (scheduled_at IS NOT NULL)),
                    FOREIGN KEY (flight_id, flight_version) REFERENCES flight_versions(flight_id, number)
                );
                CREATE INDEX runs_in_progress ON runs(status) WHERE status IN ('PENDING', 'RUNNING');

                -- The primary key is the paging index: lines of a run in order, either way.
                CREATE TABLE log_lines (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    line_number INTEGER NOT NULL CHECK (line_number >= 1),
                    reported_at INTEGER NOT NULL,
                    stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
                    line TEXT NOT NULL,
                    PRIMARY KEY (run_id, line_number)
                ) WITHOUT ROWID;

                CREATE TABLE secrets (
                    name TEXT PRIMARY KEY NOT NULL,
                    params TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );

                -- The latest fire any scheduler handled, per flight.
                CREATE TABLE schedule_state (
                    flight_id TEXT PRIMARY KEY NOT NULL REFERENCES flights(id),
                    last_fire_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: the run's program, so an orphaned run's processes can be stopped") { db in
            // The leader of the run's process group (pid and start token, like the supervisor's):
            // when the supervisor dies, whoever marks the run FAILED kills that group.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN program_pid INTEGER;
                ALTER TABLE runs ADD COLUMN program_start_token TEXT;
                """)
        }
        migrator.registerMigration("v3: what a run loaded") { db in
            // RunLoadSummary as JSON: rows per table and load ids, for the dashboard and metrics.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN load_summary TEXT;
                -- For watchers of the whole home (metrics): runs by when they were created and ended.
                CREATE INDEX runs_by_creation ON runs(created_at);
                CREATE INDEX runs_by_end ON runs(ended_at) WHERE ended_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("v4: account settings (the MotherDuck token)") { db in
            // Values the whole account shares; the control store's file is private to its owner
            // (0600), as the secrets' values are.
            try db.execute(sql: """
                CREATE TABLE account_settings (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}
