-- SafetyNet: Orleans ADO.NET grain persistence on PostgreSQL
-- (Microsoft.Orleans.Persistence.AdoNet 10.4.2, Invariant = "Npgsql").
--
-- Idempotent: CREATE ... IF NOT EXISTS and query rows upserted on QueryKey.
-- No BEGIN/COMMIT inside: run it in one transaction (psql -1, or the migrator's).
--
-- Provider contract (named parameters, '@' prefix; Npgsql binds them):
--   key parameters (all queries): @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint,
--       @GrainTypeHash int, @GrainTypeString text, @GrainIdExtensionString text|NULL, @ServiceId text
--   WriteToStorageKey  + @GrainStateVersion int|NULL, @PayloadBinary bytea
--                      -> 0..1 row: NewGrainStateVersion (no row = version conflict)
--   ReadFromStorageKey -> 0..1 row: PayloadBinary, Version
--   ClearStorageKey    + @GrainStateVersion -> 0..1 row, first column = new version
--   DeleteStorageKey   + @GrainStateVersion -> 0..1 row, first column (optional key; needed
--                      only when AdoNetGrainStorageOptions.DeleteStateOnClear = true)
--
-- Differences from upstream: one row per grain is enforced by a unique index (upstream has a
-- plain index and a NOT EXISTS check), and the write is one INSERT ... ON CONFLICT statement
-- instead of a plpgsql function. Orleans treats an empty key extension exactly like no
-- extension, so NULL and '' are folded together (COALESCE) in the key and in every lookup.
-- Note: a btree entry is limited to ~2.7 kB, which bounds type string + key extension length.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,   -- Orleans-computed hash of the grain id (+ extension)
    GrainIdN0              bigint      NOT NULL,   -- Guid key high half / 0
    GrainIdN1              bigint      NOT NULL,   -- Guid key low half / integer key / 0
    GrainTypeHash          integer     NOT NULL,   -- Orleans-computed hash of GrainTypeString
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,       -- key extension, or the whole key of string-keyed grains
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,       -- NULL after ClearState (row kept, version bumped)
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),  -- informational only
    Version                integer     NOT NULL    -- the grain ETag
);

-- One row per grain state; also serves the (GrainIdHash, GrainTypeHash) lookups.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    ServiceId,
    GrainIdN0,
    GrainIdN1,
    GrainTypeString,
    (COALESCE(GrainIdExtensionString, ''))
);

-- Insert when the grain has no ETag yet; otherwise update only if the stored version still
-- equals the grain's ETag. One statement: a concurrent duplicate insert lands in ON CONFLICT,
-- and a concurrent update is re-checked against the row's latest version. No row returned
-- means conflict (the provider raises InconsistentStateException).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO OrleansStorage AS s
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
     GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS
   (
       SELECT 1 FROM OrleansStorage AS e
       WHERE e.GrainIdHash = @GrainIdHash
         AND e.GrainTypeHash = @GrainTypeHash
         AND e.ServiceId = @ServiceId
         AND e.GrainIdN0 = @GrainIdN0
         AND e.GrainIdN1 = @GrainIdN1
         AND e.GrainTypeString = @GrainTypeString
         AND COALESCE(e.GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
         AND e.Version = @GrainStateVersion
   )
ON CONFLICT (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString,
             (COALESCE(GrainIdExtensionString, '''')))
DO UPDATE SET
    PayloadBinary = EXCLUDED.PayloadBinary,
    ModifiedOn    = EXCLUDED.ModifiedOn,
    Version       = s.Version + 1
WHERE s.Version = @GrainStateVersion
RETURNING s.Version AS "NewGrainStateVersion";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT
    PayloadBinary AS "PayloadBinary",
    Version       AS "Version"
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Keeps the row, drops the payload and bumps the version (DeleteStateOnClear = false).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       ModifiedOn    = now(),
       Version       = Version + 1
 WHERE GrainIdHash = @GrainIdHash
   AND GrainTypeHash = @GrainTypeHash
   AND ServiceId = @ServiceId
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND GrainTypeString = @GrainTypeString
   AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
   AND Version = @GrainStateVersion
RETURNING Version AS "NewGrainStateVersion";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Removes the row (DeleteStateOnClear = true).
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
RETURNING Version + 1 AS "NewGrainStateVersion";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
