-- SafetyNet: Orleans ADO.NET grain persistence on SQLite
-- (Microsoft.Orleans.Persistence.AdoNet 10.4.2, Invariant = "System.Data.SQLite",
--  which the provider serves with Microsoft.Data.Sqlite).
--
-- Needs SQLite >= 3.35 (UPSERT + RETURNING); Microsoft.Data.Sqlite 10 bundles a newer one.
-- Idempotent: CREATE ... IF NOT EXISTS and query rows upserted on QueryKey.
-- Contains no BEGIN/COMMIT: the runner wraps each script in its own transaction.
-- Run the file as one command text (Microsoft.Data.Sqlite executes multi-statement text);
-- do not split it on ';'.
--
-- Provider contract (parameters are bound by name, '@' prefix in the SQL):
--   key parameters (all queries): @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint,
--       @GrainTypeHash int, @GrainTypeString text, @GrainIdExtensionString text|NULL, @ServiceId text
--   WriteToStorageKey  + @GrainStateVersion int|NULL, @PayloadBinary blob
--                      -> 0..1 row: NewGrainStateVersion (no row = version conflict)
--   ReadFromStorageKey -> 0..1 row: PayloadBinary, Version
--   ClearStorageKey    + @GrainStateVersion -> 0..1 row, first column = new version
--   DeleteStorageKey   + @GrainStateVersion -> 0..1 row, first column (optional key; needed
--                      only when AdoNetGrainStorageOptions.DeleteStateOnClear = true)
--
-- Orleans treats an empty key extension exactly like no extension, so NULL and '' are
-- folded together (COALESCE) in the unique key and in every lookup.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,   -- Orleans-computed 32-bit hash of the grain id (+ extension)
    GrainIdN0              INTEGER NOT NULL,   -- Guid key high half / 0
    GrainIdN1              INTEGER NOT NULL,   -- Guid key low half / integer key / 0
    GrainTypeHash          INTEGER NOT NULL,   -- Orleans-computed 32-bit hash of GrainTypeString
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,       -- key extension, or the whole key for string-keyed grains
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,       -- NULL after ClearState (row kept, version bumped)
    ModifiedOn             TEXT    NOT NULL,   -- ISO-8601 UTC, informational only
    Version                INTEGER NOT NULL    -- the grain ETag
);

-- One row per grain state. Upstream has only a non-unique (GrainIdHash, GrainTypeHash) index;
-- this unique index also serves those lookups (same leading columns).
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    ServiceId,
    GrainIdN0,
    GrainIdN1,
    GrainTypeString,
    COALESCE(GrainIdExtensionString, '')
);

-- Insert when the grain has no ETag yet; otherwise update only if the stored version still
-- equals the grain's ETag. A single statement, so it is atomic; RETURNING yields no row on
-- any conflict and the provider then raises InconsistentStateException.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
     GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @PayloadBinary,
    strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS
   (
       SELECT 1 FROM OrleansStorage AS s
       WHERE s.GrainIdHash = @GrainIdHash
         AND s.GrainTypeHash = @GrainTypeHash
         AND s.ServiceId = @ServiceId
         AND s.GrainIdN0 = @GrainIdN0
         AND s.GrainIdN1 = @GrainIdN1
         AND s.GrainTypeString = @GrainTypeString
         AND COALESCE(s.GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
         AND s.Version = @GrainStateVersion
   )
ON CONFLICT (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString,
             COALESCE(GrainIdExtensionString, ''''))
DO UPDATE SET
    PayloadBinary = excluded.PayloadBinary,
    ModifiedOn    = excluded.ModifiedOn,
    Version       = OrleansStorage.Version + 1
WHERE @GrainStateVersion IS NOT NULL
  AND OrleansStorage.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT
    PayloadBinary,
    Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Keeps the row, drops the payload and bumps the version (used when DeleteStateOnClear = false).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn    = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version       = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Removes the row (used when DeleteStateOnClear = true). Upstream SQLite lacks this key.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
