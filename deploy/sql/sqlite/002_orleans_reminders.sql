-- SafetyNet: Orleans ADO.NET reminders on SQLite
-- (Microsoft.Orleans.Reminders.AdoNet 10.4.2, Invariant = "System.Data.SQLite").
--
-- Upstream ships no SQLite reminders script, but the 10.4.2 reminders assembly registers the
-- "System.Data.SQLite" invariant (served by Microsoft.Data.Sqlite.SqliteFactory) exactly as the
-- persistence assembly does, so these queries are all the provider needs.
--
-- Needs SQLite >= 3.35 (UPSERT + RETURNING). Idempotent; no BEGIN/COMMIT inside
-- (the runner wraps the script in a transaction); run it as one command text.
--
-- Provider contract (named parameters, '@' prefix in the SQL):
--   ReadReminderRowsKey   @ServiceId, @GrainId                      -> rows*
--   ReadReminderRowKey    @ServiceId, @GrainId, @ReminderName       -> 0..1 row*
--   ReadRangeRows1Key     @ServiceId, @BeginHash, @EndHash          -> rows*  (BeginHash < EndHash)
--   ReadRangeRows2Key     @ServiceId, @BeginHash, @EndHash          -> rows*  (wrapping range)
--   UpsertReminderRowKey  @ServiceId, @GrainId, @ReminderName, @StartTime (DateTime, UTC),
--                         @Period (ms, int or bigint), @GrainHash (int) -> exactly 1 row: Version
--   DeleteReminderRowKey  @ServiceId, @GrainId, @ReminderName, @Version -> exactly 1 row, 1 column (>0 = deleted)
--   DeleteReminderRowsKey @ServiceId                                -> nothing read
--   * rows = GrainId, ReminderName, StartTime, Period, Version
-- Hashes are the uint grain hashes reinterpreted as signed 32-bit integers.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,   -- GrainId.ToString(), parsed back with GrainId.Parse
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,   -- as bound by Microsoft.Data.Sqlite ('yyyy-MM-dd HH:mm:ss.FFFFFFF', UTC)
    Period       INTEGER NOT NULL,   -- milliseconds
    GrainHash    INTEGER NOT NULL,   -- signed 32-bit
    Version      INTEGER NOT NULL,   -- the reminder ETag
    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
    StartTime = excluded.StartTime,
    Period    = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version   = OrleansRemindersTable.Version + 1
RETURNING Version AS Version;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used when (int)BeginHash < (int)EndHash: the range (BeginHash, EndHash].
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used otherwise: the range wraps around, (BeginHash, max] + [min, EndHash].
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Must always return exactly one row; changes() reports the DELETE just run on this connection.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
  AND Version = @Version;
SELECT changes() AS DeletedCount;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
