-- GradCam fleet: the PostgreSQL tables and queries behind Orleans' ADO.NET clustering, reminders and grain storage.
--
-- Orleans' ADO.NET providers read their SQL from a table named OrleansQuery (QueryKey -> QueryText) and bind
-- parameters by name (@DeploymentId, @Version, ...). This script is GradCam's own implementation of those contracts:
-- its own tables, and one statement per query key. It is idempotent (run by `gradcam fleet serve` and `submit` at
-- start, under an advisory lock), and a DBA can apply it by hand: psql -d DATABASE -f PostgreSqlSchema.sql
--
-- Optimistic concurrency, as the providers expect it:
--   membership: one version row per cluster; an insert or update of a silo's row succeeds only together with
--               bumping that version from the value the silo last read (a row lock serialises the writers);
--   reminders:  a row's version grows on every upsert; a delete names the version it read;
--   storage:    a state's version grows on every write; a write or clear naming another version changes nothing,
--               and the provider turns the missing new version into InconsistentStateException.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- Membership: the cluster's version, and one row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS gradcam_cluster
(
    deployment_id text PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS gradcam_cluster_silo
(
    deployment_id text NOT NULL REFERENCES gradcam_cluster (deployment_id) ON DELETE CASCADE,
    address       text NOT NULL,
    port          integer NOT NULL,
    generation    integer NOT NULL,
    silo_name     text NOT NULL,
    host_name     text NOT NULL,
    status        integer NOT NULL,
    proxy_port    integer NOT NULL,
    suspect_times text,
    start_time    timestamptz NOT NULL,
    i_am_alive    timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Reminders: one row per grain and reminder name; grain_hash places it on the silos' ring.
CREATE TABLE IF NOT EXISTS gradcam_reminder
(
    service_id    text NOT NULL,
    grain_id      text NOT NULL,
    reminder_name text NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint NOT NULL,
    grain_hash    integer NOT NULL,
    version       integer NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX IF NOT EXISTS gradcam_reminder_ring ON gradcam_reminder (service_id, grain_hash);

-- Grain state: the serialized state of one grain under one state name.
CREATE TABLE IF NOT EXISTS gradcam_grain_state
(
    service_id      text NOT NULL,
    state_name      text NOT NULL,
    grain_key_n0    bigint NOT NULL,
    grain_key_n1    bigint NOT NULL,
    grain_key_text  text NOT NULL,
    grain_id_hash   integer NOT NULL,
    state_name_hash integer NOT NULL,
    payload         bytea,
    version         integer NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, grain_key_n0, grain_key_n1, grain_key_text)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- ---- clustering ----
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO gradcam_cluster (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*) > 0 FROM created'),

('MembershipReadAllKey', '
SELECT c.version AS "Version", s.address AS "Address", s.port AS "Port", s.generation AS "Generation",
       s.silo_name AS "SiloName", s.host_name AS "HostName", s.status AS "Status", s.proxy_port AS "ProxyPort",
       s.suspect_times AS "SuspectTimes", s.start_time AS "StartTime", s.i_am_alive AS "IAmAliveTime"
FROM gradcam_cluster c
LEFT JOIN gradcam_cluster_silo s ON s.deployment_id = c.deployment_id
WHERE c.deployment_id = @DeploymentId'),

('MembershipReadRowKey', '
SELECT c.version AS "Version", s.address AS "Address", s.port AS "Port", s.generation AS "Generation",
       s.silo_name AS "SiloName", s.host_name AS "HostName", s.status AS "Status", s.proxy_port AS "ProxyPort",
       s.suspect_times AS "SuspectTimes", s.start_time AS "StartTime", s.i_am_alive AS "IAmAliveTime"
FROM gradcam_cluster c
LEFT JOIN gradcam_cluster_silo s ON s.deployment_id = c.deployment_id
     AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
WHERE c.deployment_id = @DeploymentId'),

('InsertMembershipKey', '
WITH bumped AS (
    UPDATE gradcam_cluster SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM gradcam_cluster_silo
                      WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
inserted AS (
    INSERT INTO gradcam_cluster_silo (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                      start_time, i_am_alive)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT count(*) > 0 FROM inserted'),

('UpdateMembershipKey', '
WITH bumped AS (
    UPDATE gradcam_cluster SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM gradcam_cluster_silo
                  WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
updated AS (
    UPDATE gradcam_cluster_silo s SET status = @Status, suspect_times = @SuspectTimes, i_am_alive = @IAmAliveTime
    FROM bumped
    WHERE s.deployment_id = bumped.deployment_id AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
    RETURNING 1)
SELECT count(*) > 0 FROM updated'),

('UpdateIAmAlivetimeKey', '
UPDATE gradcam_cluster_silo SET i_am_alive = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),

('GatewaysQueryKey', '
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM gradcam_cluster_silo
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM gradcam_cluster WHERE deployment_id = @DeploymentId'),

-- Only rows of dead silos (status 6) that stopped answering before the given time.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM gradcam_cluster_silo
WHERE deployment_id = @DeploymentId AND i_am_alive < @IAmAliveTime AND status = 6'),

-- ---- reminders ----
('UpsertReminderRowKey', '
INSERT INTO gradcam_reminder (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = EXCLUDED.start_time, period_ms = EXCLUDED.period_ms, grain_hash = EXCLUDED.grain_hash,
        version = gradcam_reminder.version + 1
RETURNING version AS "Version"'),

('ReadReminderRowKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM gradcam_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName'),

('ReadReminderRowsKey', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM gradcam_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId'),

-- A range of the ring that does not wrap around (begin < end as signed integers) ...
('ReadRangeRows1Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM gradcam_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash'),

-- ... and one that does.
('ReadRangeRows2Key', '
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period", version AS "Version"
FROM gradcam_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)'),

('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM gradcam_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*) > 0 FROM deleted'),

('DeleteReminderRowsKey', '
DELETE FROM gradcam_reminder WHERE service_id = @ServiceId'),

-- ---- grain storage ----
('ReadFromStorageKey', '
SELECT payload AS "PayloadBinary", version AS "Version"
FROM gradcam_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_text = coalesce(@GrainIdExtensionString, '''')'),

-- A first write (no version known) inserts version 1 unless a row exists; a later write must name the current
-- version. Either returns the new version, or NULL when nothing was written.
('WriteToStorageKey', '
WITH updated AS (
    UPDATE gradcam_grain_state SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
      AND service_id = @ServiceId AND state_name = @GrainTypeString AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
      AND grain_key_text = coalesce(@GrainIdExtensionString, '''')
    RETURNING version),
inserted AS (
    INSERT INTO gradcam_grain_state (service_id, state_name, grain_key_n0, grain_key_n1, grain_key_text, grain_id_hash,
                                     state_name_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''''), @GrainIdHash,
           @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS "NewGrainStateVersion"'),

('ClearStorageKey', '
UPDATE gradcam_grain_state SET payload = NULL, version = version + 1, modified_at = now()
WHERE version = @GrainStateVersion
  AND service_id = @ServiceId AND state_name = @GrainTypeString AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_text = coalesce(@GrainIdExtensionString, '''')
RETURNING version'),

-- Deleting answers the version after the one deleted, as a clear would.
('DeleteStorageKey', '
DELETE FROM gradcam_grain_state
WHERE version = @GrainStateVersion
  AND service_id = @ServiceId AND state_name = @GrainTypeString AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_text = coalesce(@GrainIdExtensionString, '''')
RETURNING version + 1')

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
