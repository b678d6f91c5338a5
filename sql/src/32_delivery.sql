-- mlsync install script, part 32: event delivery (docs/features.md F13, F15).
--
-- The events a statement inserts are (1) noted for the one NOTIFY its
-- transaction sends at commit (src/events/events.c), from the backend that
-- runs the transaction (on Citus, the coordinator), and (2) given one
-- delivery row per subscribed consumer, by mls_deliver_events: called by the
-- sync's writer for the events of its batches (mls_events_fanout), and by a
-- statement trigger for every other statement that inserts into mls_events.
-- Consumers claim delivery rows with a visibility deadline and acknowledge
-- them; a claim whose deadline passes without an acknowledgement is
-- claimable again (at-least-once).

-- API: Private.  Remember the events a statement inserted for the NOTIFY
-- sent when the transaction commits.
CREATE FUNCTION mls_note_events(tenant text, kind text, count bigint,
								first_id bigint, last_id bigint)
RETURNS void
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', $$mls_note_events$$;

REVOKE ALL ON FUNCTION mls_note_events(text, text, bigint, bigint, bigint) FROM PUBLIC;

-- API: Private.  Notes the given events for the NOTIFY and writes their
-- deliveries.  With mlsync.listing_events = off, and while a dump is
-- restored (COPY into mls_events, mls_copying_in), events are loaded as they
-- are: no NOTIFY, no new deliveries (the restored ones come with the dump).
CREATE FUNCTION mls_deliver_events(event_ids bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	first_id bigint;
	last_id bigint;
	groups bigint;
BEGIN
	IF coalesce(cardinality(event_ids), 0) = 0 OR mlsync.mls_listing_events_mode() = 'off' THEN
		RETURN;
	END IF;

	-- The events are read through the primary key, between the first and
	-- the last id: the ids of one statement's events are (nearly) adjacent,
	-- and with that range the planner counts on a few rows.  By "= ANY" or
	-- a join with the ids alone it may take a scan of mls_events instead,
	-- cheaper by its costs until the table is large, and then every batch
	-- of a sync costs more as the table grows (bench/events.sh).
	-- Read once for both: the NOTIFY's notes and the deliveries.
	SELECT min(i), max(i) INTO first_id, last_id FROM unnest(event_ids) i;
	WITH e AS MATERIALIZED (
		SELECT e.event_id, e.tenant_id, e.kind
		  FROM mlsync.mls_events e
		 WHERE e.event_id = ANY (event_ids) AND e.event_id BETWEEN first_id AND last_id
	),
	delivered AS (
		INSERT INTO mlsync.mls_event_deliveries (consumer, event_id, tenant_id)
		SELECT DISTINCT s.consumer, e.event_id, e.tenant_id
		  FROM e
		  JOIN mlsync.mls_subscriptions s
			ON (s.tenant IS NULL OR s.tenant = e.tenant_id)
		   AND (s.kinds IS NULL OR e.kind = ANY (s.kinds))
	),
	noted AS (
		SELECT mlsync.mls_note_events(e.tenant_id, e.kind, count(*), min(e.event_id), max(e.event_id))
		  FROM e
		 GROUP BY e.tenant_id, e.kind
	)
	SELECT count(*) INTO groups FROM noted;
END
$$;

REVOKE ALL ON FUNCTION mls_deliver_events(bigint[]) FROM PUBLIC;

-- API: Private.  Trigger function: rows inserted into mls_events by any
-- statement but the sync writer's (which delivers its own events).
CREATE FUNCTION mls_events_deliver() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM mlsync.mls_deliver_events(ARRAY(SELECT e.event_id FROM new_events e));
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION mls_events_deliver() FROM PUBLIC;

CREATE TRIGGER mls_events_deliver
	AFTER INSERT ON mls_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT
	WHEN (NOT mlsync.mls_writer_capturing())
	EXECUTE FUNCTION mls_events_deliver();

-- API: Public.  Subscribes a named consumer to the events of one tenant (or
-- of all tenants, tenant NULL), of the given kinds (NULL: all kinds).
-- Subscribing again replaces the kinds of that (consumer, tenant).
CREATE FUNCTION mls_subscribe(consumer text, kinds text[] DEFAULT NULL, tenant text DEFAULT NULL)
RETURNS mls_subscriptions
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	result mlsync.mls_subscriptions;
BEGIN
	IF consumer IS NULL OR NOT mlsync.mls_is_valid_name(consumer) THEN
		RAISE EXCEPTION 'invalid consumer name "%"', consumer
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use lower-case letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters.';
	END IF;
	IF kinds IS NOT NULL AND (cardinality(kinds) = 0 OR EXISTS (
			SELECT FROM unnest(kinds) k WHERE k IS NULL OR k !~ '^[a-z][a-z0-9_]{0,62}$')) THEN
		RAISE EXCEPTION 'invalid event kinds %', kinds
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Give a non-empty array of kinds such as {new_listing,price_reduced}, or NULL for every kind.';
	END IF;
	-- the events of every tenant are for global administrators only
	IF tenant IS NULL AND NOT mlsync.mls_is_global_admin() THEN
		RAISE EXCEPTION 'permission denied to subscribe to the events of every tenant'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Subscribe once per tenant, naming it: mlsync.mls_subscribe(consumer, kinds, tenant => ''...'').';
	END IF;
	IF tenant IS NOT NULL THEN
		PERFORM mlsync.mls_require_tenant_privilege(tenant, 'consume', 'subscribing to events');
	END IF;
	IF tenant IS NOT NULL AND NOT EXISTS (SELECT FROM mlsync.mls_tenants t WHERE t.tenant_id = tenant) THEN
		RAISE EXCEPTION 'tenant "%" does not exist', tenant
			USING ERRCODE = 'no_data_found';
	END IF;

	-- the kinds sorted first, and the time as the row's default: no subquery
	-- in VALUES, no now() in DO UPDATE (docs/scaling.md)
	kinds := (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(kinds) k);
	INSERT INTO mlsync.mls_subscriptions AS s (consumer, tenant, kinds)
	VALUES (consumer, tenant, kinds)
	ON CONFLICT ON CONSTRAINT mls_subscriptions_consumer_tenant_key DO UPDATE
		SET kinds = excluded.kinds, updated_at = excluded.updated_at
	RETURNING * INTO result;
	RETURN result;
END
$$;

COMMENT ON FUNCTION mls_subscribe(text, text[], text) IS
'subscribe a named consumer to the events of a tenant (NULL: all tenants) of the given kinds (NULL: all kinds)';

-- API: Public.  Removes every subscription of a consumer and the deliveries
-- it has not acknowledged; returns how many deliveries were dropped.
CREATE FUNCTION mls_unsubscribe(consumer text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	dropped bigint;
BEGIN
	DELETE FROM mlsync.mls_subscriptions s WHERE s.consumer = consumer;
	DELETE FROM mlsync.mls_event_deliveries d WHERE d.consumer = consumer;
	GET DIAGNOSTICS dropped = ROW_COUNT;
	RETURN dropped;
END
$$;

COMMENT ON FUNCTION mls_unsubscribe(text) IS
'remove every subscription of a consumer and its unacknowledged deliveries';

-- API: Public.  Claims up to max_events events for a consumer, oldest first:
-- each stays invisible to further claims of that consumer for
-- visibility_timeout, then comes back unless acknowledged.  Rows another
-- session is claiming right now are skipped, never waited for, so several
-- workers of one consumer (and every other consumer) claim in parallel.
-- The rows are locked by the pick and updated by their ctid, which cannot
-- change in between: a locked row is not updated by anyone else.
CREATE FUNCTION mls_events_claim(consumer text, max_events integer DEFAULT 100,
								 visibility_timeout interval DEFAULT '1 minute')
RETURNS TABLE (event_id bigint, tenant_id text, kind text, connection text,
			   listing_key text, watcher text, payload jsonb, created_at timestamptz,
			   attempts integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	IF max_events IS NULL OR max_events < 1 THEN
		RAISE EXCEPTION 'max_events must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF visibility_timeout IS NULL OR visibility_timeout <= interval '0' THEN
		RAISE EXCEPTION 'visibility_timeout must be positive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	RETURN QUERY
	WITH picked AS (
		SELECT d.ctid AS row_id
		  FROM mlsync.mls_event_deliveries d
		 WHERE d.consumer = mls_events_claim.consumer
		   AND (d.claimed_until IS NULL OR d.claimed_until <= now())
		 ORDER BY d.event_id
		 LIMIT mls_events_claim.max_events
		   FOR UPDATE SKIP LOCKED
	),
	claimed AS (
		UPDATE mlsync.mls_event_deliveries d
		   SET claimed_until = now() + mls_events_claim.visibility_timeout,
			   attempts = d.attempts + 1
		  FROM picked p
		 WHERE d.ctid = p.row_id
		RETURNING d.event_id, d.attempts
	)
	SELECT e.event_id, e.tenant_id, e.kind, e.connection, e.listing_key, e.watcher,
		   e.payload, e.created_at, c.attempts
	  FROM claimed c
	  JOIN mlsync.mls_events e ON e.event_id = c.event_id
	 ORDER BY e.event_id;
END
$$;

COMMENT ON FUNCTION mls_events_claim(text, integer, interval) IS
'claim up to max_events unacknowledged events of a consumer, invisible to other claims for visibility_timeout';

-- API: Public.  Acknowledges events a consumer has processed; returns how
-- many were still pending (ids already acknowledged or never delivered to
-- the consumer are ignored).
CREATE FUNCTION mls_events_ack(consumer text, event_ids bigint[]) RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH acked AS (
		DELETE FROM mlsync.mls_event_deliveries d
		 WHERE d.consumer = mls_events_ack.consumer
		   AND d.event_id = ANY (mls_events_ack.event_ids)
		RETURNING 1
	)
	SELECT count(*) FROM acked;
END;

COMMENT ON FUNCTION mls_events_ack(text, bigint[]) IS
'acknowledge processed events of a consumer; returns how many were pending';

-- API: Public.  Deletes events older than older_than that every consumer
-- has acknowledged (no delivery row refers to them); returns how many.  The
-- history, alerts and time-event marks are kept.  Deliveries whose event was
-- deleted by other means (they could never be claimed) go too; a delivery
-- row is written in its event's transaction, so none is newer than its event.
CREATE FUNCTION mls_events_prune(older_than interval DEFAULT '7 days') RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	pruned bigint;
BEGIN
	IF older_than IS NULL OR older_than < interval '0' THEN
		RAISE EXCEPTION 'older_than must not be negative'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	DELETE FROM mlsync.mls_event_deliveries d
	 WHERE NOT EXISTS (SELECT FROM mlsync.mls_events e WHERE e.event_id = d.event_id);
	DELETE FROM mlsync.mls_events e
	 WHERE e.created_at < now() - older_than
	   AND NOT EXISTS (SELECT FROM mlsync.mls_event_deliveries d WHERE d.event_id = e.event_id);
	GET DIAGNOSTICS pruned = ROW_COUNT;
	RETURN pruned;
END
$$;

COMMENT ON FUNCTION mls_events_prune(interval) IS
'delete events older than the interval that no consumer still has to acknowledge';

-- API: Private.  Inserts one event (for example connection_disabled, raised
-- by the sync engine); it is delivered and announced like every other.
CREATE FUNCTION mls_emit_event(tenant text, kind text, connection text DEFAULT NULL,
							   listing_key text DEFAULT NULL, payload jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	id bigint;
BEGIN
	IF tenant IS NULL OR kind IS NULL OR kind !~ '^[a-z][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'invalid event: tenant and a kind of lower-case letters, digits and "_" are required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)
	VALUES (tenant, kind, connection, listing_key, coalesce(payload, '{}'))
	RETURNING event_id INTO id;
	PERFORM mlsync.mls_events_fanout_untriggered(ARRAY[id]);
	PERFORM mlsync.mls_usage_record_events();
	RETURN id;
END
$$;

REVOKE ALL ON FUNCTION mls_emit_event(text, text, text, text, jsonb) FROM PUBLIC;

-- API: Public.  What each consumer still has to do (of the tenants the
-- reader may consume: the view runs with the reader's rights).
CREATE VIEW mls_event_backlog WITH (security_invoker = true) AS
SELECT s.consumer,
	   count(d.event_id) FILTER (WHERE d.claimed_until IS NULL OR d.claimed_until <= now()) AS ready,
	   count(d.event_id) FILTER (WHERE d.claimed_until > now()) AS claimed,
	   count(d.event_id) FILTER (WHERE d.attempts > 1) AS redelivered,
	   min(d.event_id) AS oldest_event_id
  FROM (SELECT DISTINCT consumer FROM mlsync.mls_subscriptions) s
  LEFT JOIN mlsync.mls_event_deliveries d ON d.consumer = s.consumer
 GROUP BY s.consumer;

COMMENT ON VIEW mls_event_backlog IS 'per consumer: events ready to claim, claimed and not yet acknowledged, delivered more than once';
