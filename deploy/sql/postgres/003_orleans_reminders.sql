-- SafetyNet: Orleans ADO.NET reminders on PostgreSQL
-- (Microsoft.Orleans.Reminders.AdoNet 10.4.2, Invariant = "Npgsql").
--
-- Idempotent: CREATE ... IF NOT EXISTS and query rows upserted on QueryKey.
-- No BEGIN/COMMIT inside: run it in one transaction (psql -1, or the migrator's).
--
-- Provider contract (named parameters, '@' prefix; Npgsql binds them):
--   ReadReminderRowsKey   @ServiceId, @GrainId                      -> rows*
--   ReadReminderRowKey    @ServiceId, @GrainId, @ReminderName       -> 0..1 row*
--   ReadRangeRows1Key     @ServiceId, @BeginHash, @EndHash          -> rows*  (BeginHash < EndHash)
--   ReadRangeRows2Key     @ServiceId, @BeginHash, @EndHash          -> rows*  (wrapping range)
--   UpsertReminderRowKey  @ServiceId, @GrainId, @ReminderName, @StartTime timestamptz,
--                         @Period (ms; int, or bigint when > int.MaxValue), @GrainHash int
--                         -> exactly 1 row: Version
--   DeleteReminderRowKey  @ServiceId, @GrainId, @ReminderName, @Version int
--                         -> exactly 1 row, 1 column (>0 = deleted)
--   DeleteReminderRowsKey @ServiceId                                -> nothing read
--   * rows = GrainId, ReminderName, StartTime, Period, Version
-- Hashes are the uint grain hashes reinterpreted as signed 32-bit integers.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      text         NOT NULL,   -- GrainId.ToString(), parsed back with GrainId.Parse
    ReminderName text         NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,   -- milliseconds
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,   -- the reminder ETag
    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
    StartTime = EXCLUDED.StartTime,
    Period    = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version   = r.Version + 1
RETURNING r.Version AS "Version";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Used when (int)BeginHash < (int)EndHash: the range (BeginHash, EndHash].
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Used otherwise: the range wraps around, (BeginHash, max] + [min, EndHash].
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime",
       Period AS "Period", Version AS "Version"
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Always exactly one row: the number of rows deleted (0 or 1).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
WITH deleted AS
(
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS "Deleted" FROM deleted;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
