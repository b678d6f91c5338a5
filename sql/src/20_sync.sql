-- mlsync install script, part 20: the sync engine's queue, status, history
-- and errors, and its SQL API (docs/features.md F6-F11, F22, F23).

-- Requested and running syncs.  A row lives from the request until the run
-- ends; the run's record then stays in mls_sync_history.
CREATE TABLE mls_sync_queue (
	tenant_id		text NOT NULL,
	run_id			bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	mode			text NOT NULL
					CHECK (mode IN ('full', 'incremental', 'reconcile', 'single', 'dry_run', 'metadata')),
	listing_key		text,
	trigger			text NOT NULL DEFAULT 'manual'
					CHECK (trigger IN ('manual', 'scheduled', 'retry')),
	state			text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running')),
	requested_at	timestamptz NOT NULL DEFAULT now(),
	requested_by	name NOT NULL DEFAULT current_user,
	not_before		timestamptz NOT NULL DEFAULT now(),
	started_at		timestamptz,
	worker_pid		integer,
	rerun_requested	boolean NOT NULL DEFAULT false,
	cancel_requested boolean NOT NULL DEFAULT false,
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	turns			integer NOT NULL DEFAULT 0,
	resume_raw		text,
	PRIMARY KEY (tenant_id, run_id),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE,
	CHECK ((mode = 'single') = (listing_key IS NOT NULL))
);

-- never two runs of one connection at once
CREATE UNIQUE INDEX mls_sync_queue_one_running
	ON mls_sync_queue (tenant_id, connection) WHERE state = 'running';
CREATE INDEX mls_sync_queue_due ON mls_sync_queue (state, not_before);
-- a run is found by its id alone (cancel, wait, take-over): run ids come from
-- one identity, unique without a unique index (docs/scaling.md)
CREATE INDEX mls_sync_queue_run_idx ON mls_sync_queue (run_id);

COMMENT ON TABLE mls_sync_queue IS 'requested and running syncs; the launcher claims queued rows round-robin across tenants (docs/architecture.md, "Scheduling")';
COMMENT ON COLUMN mls_sync_queue.turns IS 'worker turns the run has had; a queued run with turns > 0 yielded its worker to waiting runs and continues where it stopped';
COMMENT ON COLUMN mls_sync_queue.resume_raw IS 'where a full run goes on from (a server timestamp, raw): kept at each batch, for its next turn or a retry after its process died';

-- Where each connection stands.
CREATE TABLE mls_sync_status (
	tenant_id		text NOT NULL,
	connection		text NOT NULL,
	watermark_ts	timestamptz,
	watermark_raw	text,
	watermark_key	text,
	last_run_id		bigint,
	last_attempt_at	timestamptz,
	last_success_at	timestamptz,
	consecutive_failures integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz,
	last_error		text,
	metadata_version text,
	metadata_fetched_at timestamptz,
	last_load_at	timestamptz,
	PRIMARY KEY (tenant_id, connection),
	FOREIGN KEY (tenant_id, connection) REFERENCES mls_connections
		ON DELETE CASCADE
) WITH (fillfactor = 50);

COMMENT ON TABLE mls_sync_status IS 'per connection: watermark (the server''s own timestamp and key of the last committed record), last success, failures, next attempt';
COMMENT ON COLUMN mls_sync_status.watermark_raw IS 'the watermark timestamp exactly as the server sent it, re-sent verbatim in queries';
COMMENT ON COLUMN mls_sync_status.last_load_at IS 'the last success of a run that loads listings (full, incremental, reconcile); NULL until the connection''s first load succeeds, which raises no listing events';
COMMENT ON COLUMN mls_sync_status.metadata_version IS 'RETS: the server''s MetadataVersion when mls_source_metadata was fetched; a new one at Login fetches it again';

-- One row per run, updated as it goes (progress) and when it ends.
CREATE TABLE mls_sync_history (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	run_id			bigint NOT NULL,
	connection		text NOT NULL,
	mode			text NOT NULL,
	trigger			text NOT NULL,
	listing_key		text,
	state			text NOT NULL DEFAULT 'running'
					CHECK (state IN ('running', 'succeeded', 'failed', 'canceled', 'interrupted')),
	requested_at	timestamptz NOT NULL,
	started_at		timestamptz NOT NULL DEFAULT now(),
	finished_at		timestamptz,
	seen			bigint NOT NULL DEFAULT 0,
	inserted		bigint NOT NULL DEFAULT 0,
	updated			bigint NOT NULL DEFAULT 0,
	unchanged		bigint NOT NULL DEFAULT 0,
	removed			bigint NOT NULL DEFAULT 0,
	flagged			bigint NOT NULL DEFAULT 0,
	errors			bigint NOT NULL DEFAULT 0,
	requests		bigint NOT NULL DEFAULT 0,
	bytes			bigint NOT NULL DEFAULT 0,
	total_expected	bigint,
	watermark_from	text,
	watermark_to	text,
	worker_pid		integer,
	peak_memory_bytes bigint,
	message			text,
	duration		interval GENERATED ALWAYS AS (finished_at - started_at) STORED,
	-- 0.2.0 (new columns go last: an upgrade adds them there)
	fetched_missing	bigint NOT NULL DEFAULT 0,
	refetched_stale	bigint NOT NULL DEFAULT 0,
	requested_by	name,
	excluded		bigint NOT NULL DEFAULT 0,
	capped			bigint NOT NULL DEFAULT 0,
	worker_turns	integer NOT NULL DEFAULT 1,
	PRIMARY KEY (tenant_id, run_id)
) WITH (fillfactor = 70);

-- Status and history rows are updated after every batch (the watermark,
-- the progress): room on their pages keeps those updates HOT (no index
-- entries, no bloat of the indexes) while runs write side by side.

CREATE INDEX mls_sync_history_connection_idx ON mls_sync_history (tenant_id, connection, started_at);
-- a run is looked up by its id alone (mls_sync_wait, the reaper, retries):
-- the table grows by a row per run, so that must not be a scan
CREATE INDEX mls_sync_history_run_idx ON mls_sync_history (run_id);

COMMENT ON TABLE mls_sync_history IS 'one row per run: counts of records seen, inserted, updated, unchanged, removed, errors, requests, bytes, duration';
COMMENT ON COLUMN mls_sync_history.flagged IS 'listings gone at the source but locally edited: flagged (conflict) instead of removed';
COMMENT ON COLUMN mls_sync_history.fetched_missing IS 'reconcile: listings the source has and mlsync lacked, fetched';
COMMENT ON COLUMN mls_sync_history.refetched_stale IS 'reconcile: listings whose source timestamp differed from the stored one, fetched again';
COMMENT ON COLUMN mls_sync_history.requested_by IS 'the role that asked for the run (for a scheduled run, the owner of the pg_cron job; for a retry, whoever asked for the run that failed)';
COMMENT ON COLUMN mls_sync_history.excluded IS 'records left alone because their listing is excluded (mls_exclude_listing)';
COMMENT ON COLUMN mls_sync_history.capped IS 'new listings left out because the connection reached its max_listings';
COMMENT ON COLUMN mls_sync_history.worker_turns IS 'how many times the run took a worker: a long run yields its worker between batches while runs of other connections wait';
COMMENT ON COLUMN mls_sync_history.total_expected IS 'records the source said the run would see (@odata.count, RETS COUNT), when it said';

CREATE TABLE mls_sync_errors (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	error_id		bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	run_id			bigint,
	occurred_at		timestamptz NOT NULL DEFAULT now(),
	category		text NOT NULL
					CHECK (category IN ('auth', 'network', 'rate_limit', 'server', 'protocol',
										'data', 'config', 'internal')),
	record_key		text,
	http_status		integer,
	reply_code		integer,
	message			text NOT NULL,
	source_text		text,
	retry_state		text NOT NULL
					CHECK (retry_state IN ('retried', 'repaired', 'skipped', 'failed')),
	attempt			integer NOT NULL DEFAULT 1,
	PRIMARY KEY (tenant_id, error_id)
);

CREATE INDEX mls_sync_errors_recent_idx ON mls_sync_errors (tenant_id, connection, occurred_at);
CREATE INDEX mls_sync_errors_run_idx ON mls_sync_errors (tenant_id, run_id);

COMMENT ON TABLE mls_sync_errors IS 'errors of syncs, categorized, with the record key, HTTP status or RETS reply code and an excerpt of what the source sent (never a secret)';
COMMENT ON COLUMN mls_sync_errors.retry_state IS 'retried: the request was tried again; repaired: the record was kept with invalid characters replaced; skipped: the record was left out and the run went on; failed: the run ended on it';

-- Keys a reconcile run saw at the source; removed listings are those of the
-- connection it did not see.  Unlogged: a crash loses only a run that is
-- started again from scratch anyway.
CREATE UNLOGGED TABLE mls_reconcile_keys (
	run_id			bigint NOT NULL,
	listing_key		text NOT NULL,
	source_timestamp timestamptz,
	PRIMARY KEY (run_id, listing_key)
);

COMMENT ON TABLE mls_reconcile_keys IS 'private: keys seen by running reconcile runs';

SELECT pg_catalog.pg_extension_config_dump('mls_sync_queue', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_queue_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_status', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_history', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_errors', '');
SELECT pg_catalog.pg_extension_config_dump('mls_sync_errors_error_id_seq', '');

-- API: Private.  Drops the given runs of a tenant that are queued (not
-- those running) and records each as canceled, with the reason given, or
-- without one as mls_sync_cancel words it; returns how many.  A run that
-- yielded its worker has its history row already, which this ends.
CREATE FUNCTION mls_cancel_queued_runs(tenant text, run_ids bigint[], why text) RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
WITH dropped AS (
	DELETE FROM mlsync.mls_sync_queue q
	 WHERE q.tenant_id = tenant AND q.run_id = ANY (run_ids) AND q.state = 'queued'
	RETURNING q.*
),
canceled AS (
	INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger, listing_key,
										 requested_at, state, finished_at, message, requested_by)
	SELECT d.tenant_id, d.run_id, d.connection, d.mode, d.trigger, d.listing_key, d.requested_at,
		   'canceled', now(),
		   coalesce(why, CASE WHEN d.turns = 0 THEN 'canceled before it started'
							  ELSE 'canceled while it waited for a worker' END),
		   d.requested_by
	  FROM dropped d
	ON CONFLICT (tenant_id, run_id) DO UPDATE SET state = excluded.state,
		finished_at = excluded.finished_at, message = excluded.message
	RETURNING 1
)
SELECT count(*) FROM canceled
$$;

REVOKE ALL ON FUNCTION mls_cancel_queued_runs(text, bigint[], text) FROM PUBLIC;

-- API: Private.  Trigger function: what a connection's enabled flag
-- changing means for its runs, however it changes (mls_connect,
-- mls_connect_reset, the engine after too many failed runs, an UPDATE).
-- Disabled: nothing of the connection runs any more, so its queued runs
-- (retries, scheduled and manual requests, a run that yielded its worker)
-- are canceled, and no next attempt is announced; they would otherwise wait,
-- unseen, and run when it is enabled again.  A run already running
-- finishes.  Enabled again: a new count of failed runs in a row (else its
-- next failure, of any run, would disable it again at once), and whatever
-- is still queued is canceled too: nothing can be queued for a disabled
-- connection, so it is a run the disabling did not reach.  The queued rows
-- are taken with SKIP LOCKED, so the trigger waits on no queue row (an
-- UPDATE of several connections would otherwise lock theirs in another
-- order than the launcher's claim): one the launcher is claiming is
-- canceled as it starts (MlsStoreStartRun); one a request is joining, or a run is
-- yielding, stays, and so may one queued by a request or the launcher's
-- reaper that had not yet seen the disable.  The launcher cancels those in
-- its next round (MlsQueueCancelOfDisabled).
CREATE FUNCTION mls_connections_enabled_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM mlsync.mls_cancel_queued_runs(NEW.tenant_id,
		ARRAY(SELECT q.run_id FROM mlsync.mls_sync_queue q
			   WHERE q.tenant_id = NEW.tenant_id AND q.connection = NEW.connection
				 AND q.state = 'queued'
				 FOR UPDATE SKIP LOCKED),
		CASE WHEN NEW.enabled THEN 'queued before the connection was enabled again'
			 ELSE 'the connection was disabled' END);
	UPDATE mlsync.mls_sync_status s
	   SET consecutive_failures = CASE WHEN NEW.enabled THEN 0 ELSE s.consecutive_failures END,
		   next_attempt_at = NULL
	 WHERE s.tenant_id = NEW.tenant_id AND s.connection = NEW.connection;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_connections_enabled_changed() FROM PUBLIC;

CREATE TRIGGER mls_connections_enabled_changed
	AFTER UPDATE OF enabled ON mls_connections
	FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled)
	EXECUTE FUNCTION mls_connections_enabled_changed();

-- API: Private.  The functions that run syncs, as the extension's owner
-- (they write the queue and, with wait => true, the listings).  Called only
-- by their public namesakes (src/tenancy/tenancy.c), after the caller's
-- rights on the run's tenant are checked.
CREATE FUNCTION mls_sync_unchecked(tenant text,
								   connection text DEFAULT NULL,
								   mode text DEFAULT 'incremental',
								   wait boolean DEFAULT false,
								   listing_key text DEFAULT NULL)
RETURNS bigint[]
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync$$;

CREATE FUNCTION mls_sync_cancel_unchecked(run_id bigint) RETURNS boolean
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_cancel$$;

CREATE FUNCTION mls_sync_wait_unchecked(run_id bigint, timeout interval DEFAULT '1 hour')
RETURNS text
LANGUAGE c STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_wait$$;

COMMENT ON FUNCTION mls_sync_unchecked(text, text, text, boolean, text) IS
'private: mls_sync as the extension''s owner, called by mls_sync once the caller may operate the tenant';
COMMENT ON FUNCTION mls_sync_cancel_unchecked(bigint) IS
'private: mls_sync_cancel as the extension''s owner, called by mls_sync_cancel once the caller may operate the run''s tenant';
COMMENT ON FUNCTION mls_sync_wait_unchecked(bigint, interval) IS
'private: mls_sync_wait as the extension''s owner, called by mls_sync_wait once the caller may read the run''s tenant';

REVOKE ALL ON FUNCTION mls_sync_unchecked(text, text, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_sync_cancel_unchecked(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION mls_sync_wait_unchecked(bigint, interval) FROM PUBLIC;

-- API: Private.  What the schedules run (mls_schedule's jobs, as the
-- extension's owner): a sync of one connection queued as scheduled, so the
-- launcher takes manual requests first.  Returns the run id, or NULL when
-- the connection is disabled.  No role but the owner may call it.
CREATE FUNCTION mls_sync_scheduled(tenant text, connection text, mode text DEFAULT 'incremental')
RETURNS bigint
LANGUAGE c
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_scheduled$$;

COMMENT ON FUNCTION mls_sync_scheduled(text, text, text) IS
'private: queue a scheduled sync (incremental, full or reconcile) of one connection, behind manual requests; NULL when the connection is disabled';

REVOKE ALL ON FUNCTION mls_sync_scheduled(text, text, text) FROM PUBLIC;

-- API: Public.  Requests a sync of every enabled connection of a tenant (or
-- one connection) and returns the run ids at once; the launcher runs them in
-- background workers.  wait => true runs them here, in this backend.  Needs
-- the operate privilege on the tenant.
CREATE FUNCTION mls_sync(tenant text,
						 connection text DEFAULT NULL,
						 mode text DEFAULT 'incremental',
						 wait boolean DEFAULT false,
						 listing_key text DEFAULT NULL)
RETURNS bigint[]
LANGUAGE c
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_checked$$;

COMMENT ON FUNCTION mls_sync(text, text, text, boolean, text) IS
'request a sync (full, incremental, reconcile, single, dry_run, metadata) of a tenant''s enabled connections; returns run ids; needs operate on the tenant';

-- API: Public.  Needs the operate privilege on the run's tenant.
CREATE FUNCTION mls_sync_cancel(run_id bigint) RETURNS boolean
LANGUAGE c STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_cancel_checked$$;

COMMENT ON FUNCTION mls_sync_cancel(bigint) IS
'cancel a queued or running sync; returns false when the run is not queued or running; needs operate on the tenant';

-- API: Public.  Needs the read privilege on the run's tenant.
CREATE FUNCTION mls_sync_wait(run_id bigint, timeout interval DEFAULT '1 hour')
RETURNS text
LANGUAGE c STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_sync_wait_checked$$;

COMMENT ON FUNCTION mls_sync_wait(bigint, interval) IS
'wait for a run to end; returns its final state (succeeded, failed, canceled, interrupted), or its current state at the timeout; needs read on the tenant';

-- Running syncs, for a progress bar.  The views run with the reader's
-- rights, so the row-level security of the tables applies (docs/tenancy.md).
CREATE VIEW mls_sync_progress WITH (security_invoker = true) AS
SELECT h.tenant_id, h.connection, h.run_id, h.mode, h.started_at,
	   h.seen AS records_done,
	   h.total_expected AS records_total,
	   round(h.seen / greatest(extract(epoch FROM now() - h.started_at), 0.001)::numeric, 1)
		 AS records_per_second,
	   CASE WHEN h.total_expected > h.seen AND h.seen > 0 THEN
		   (now() - h.started_at) * ((h.total_expected - h.seen)::float8 / h.seen)
	   END AS eta,
	   h.requests, h.bytes, h.errors
  FROM mls_sync_history h
 WHERE h.state = 'running';

COMMENT ON VIEW mls_sync_progress IS 'running syncs: records done, total when the source says, rate, estimated time left';

