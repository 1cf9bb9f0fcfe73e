-- SafetyNet: the grant registries (PostgreSQL), one row per live grant of a registry's cell and one head row per registry.
--
-- A registry used to be one grain-state row holding every live grant of its cell, rewritten whole on every change: its
-- cost grew with the incidents open around it (in a 60 s surge most of the node's serialisation). A row per grant keeps
-- each change the size of the grants it touches. covered is the grant and its per-camera ends as JSON; version is the
-- registry's change counter, which cameras use to keep the newest of answers that arrive out of order. Idempotent: safe
-- to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS grant_registry_grant
(
    registry text NOT NULL,
    grant_id text NOT NULL,
    covered  text NOT NULL,
    PRIMARY KEY (registry, grant_id)
);

CREATE TABLE IF NOT EXISTS grant_registry_head
(
    registry text   NOT NULL PRIMARY KEY,
    version  bigint NOT NULL
);
