-- SafetyNet: Orleans ADO.NET clustering (membership) on PostgreSQL
-- (Microsoft.Orleans.Clustering.AdoNet 10.4.2, Invariant = "Npgsql").
--
-- Idempotent: CREATE ... IF NOT EXISTS, CREATE OR REPLACE FUNCTION, query rows upserted on
-- QueryKey. No BEGIN/COMMIT inside: run it in one transaction (psql -1, or the migrator's).
-- Run the file as one command text; do not split it on ';' (dollar-quoted bodies).
--
-- The provider refuses to start unless OrleansQuery holds all nine keys below
-- (DbStoredQueries checks every key at start-up).
--
-- Named parameters ('@' prefix; Npgsql binds them). Types as the provider binds them:
--   @DeploymentId text (= ClusterOptions.ClusterId), @Address text (IP), @Port int,
--   @Generation int, @SiloName text, @HostName text, @Status int (SiloStatus; 3 = Active,
--   6 = Dead), @ProxyPort int, @SuspectTimes text|NULL, @StartTime timestamptz,
--   @IAmAliveTime timestamptz, @Version int (the membership table version / ETag).
--
-- Membership rows returned by MembershipReadRowKey / MembershipReadAllKey carry:
--   Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes,
--   StartTime, IAmAliveTime, Version.
-- They must return at least one row (the version row) even when no silo row matches,
-- hence the LEFT JOIN from the version table; StartTime NULL means "no member".

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

-- One row per cluster (deployment); Version is the optimistic-concurrency ETag of the whole table.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL,
    SuspectTimes text         NULL,       -- 'silo,date|silo,date', written and parsed by Orleans
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Inserts a silo row and bumps the table version, both or neither.
-- Returns 1 on success; 0 when the version moved on or the silo row already exists.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id  text,
    p_address        text,
    p_port           integer,
    p_generation     integer,
    p_silo_name      text,
    p_host_name      text,
    p_status         integer,
    p_proxy_port     integer,
    p_start_time     timestamptz,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS integer
LANGUAGE plpgsql
AS $body$
BEGIN
    -- Claiming the version row first also serializes concurrent writers of this cluster.
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id
       AND Version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, p_proxy_port, NULL, p_start_time, p_i_am_alive);
    RETURN 1;
EXCEPTION
    -- Leaving through the handler rolls the block back, version bump included.
    WHEN unique_violation THEN
        RETURN 0;
END
$body$;

-- Updates a silo row and bumps the table version, both or neither.
-- Returns 1 on success; 0 when the version moved on or the silo row does not exist.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id  text,
    p_address        text,
    p_port           integer,
    p_generation     integer,
    p_status         integer,
    p_suspect_times  text,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS integer
LANGUAGE plpgsql
AS $body$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id
       AND Version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable
       SET Status = p_status,
           SuspectTimes = p_suspect_times,
           IAmAliveTime = p_i_am_alive
     WHERE DeploymentId = p_deployment_id
       AND Address = p_address
       AND Port = p_port
       AND Generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'membership row not found' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN 1;
EXCEPTION
    -- Undo the version bump when the silo row is missing.
    WHEN no_data_found THEN
        RETURN 0;
END
$body$;

-- Creates the version row for a cluster; returns 1 if created, 0 if it already existed.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
WITH created AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS "Created" FROM created;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Heartbeat; not versioned, result not read.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
   SET IAmAliveTime = @IAmAliveTime
 WHERE DeploymentId = @DeploymentId
   AND Address = @Address
   AND Port = @Port
   AND Generation = @Generation;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT
    v.DeploymentId AS "DeploymentId",
    m.Address      AS "Address",
    m.Port         AS "Port",
    m.Generation   AS "Generation",
    m.SiloName     AS "SiloName",
    m.HostName     AS "HostName",
    m.Status       AS "Status",
    m.ProxyPort    AS "ProxyPort",
    m.SuspectTimes AS "SuspectTimes",
    m.StartTime    AS "StartTime",
    m.IAmAliveTime AS "IAmAliveTime",
    v.Version      AS "Version"
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT
    v.DeploymentId AS "DeploymentId",
    m.Address      AS "Address",
    m.Port         AS "Port",
    m.Generation   AS "Generation",
    m.SiloName     AS "SiloName",
    m.HostName     AS "HostName",
    m.Status       AS "Status",
    m.ProxyPort    AS "ProxyPort",
    m.SuspectTimes AS "SuspectTimes",
    m.StartTime    AS "StartTime",
    m.IAmAliveTime AS "IAmAliveTime",
    v.Version      AS "Version"
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Removes a whole cluster (tests / teardown). Silo rows first because of the foreign key.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Active gateways for clients: Address, ProxyPort, Generation. The provider passes @Status = 3.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT
    Address    AS "Address",
    ProxyPort  AS "ProxyPort",
    Generation AS "Generation"
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Missing from upstream PostgreSQL script for a long time, yet required by the provider.
-- @IAmAliveTime is the cut-off (now - DefunctSiloExpiration). Deletes silo rows that are not
-- Active and have neither started nor heartbeated since the cut-off (the rule the other
-- Orleans membership providers apply). The table version is deliberately left alone.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status <> 3
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
