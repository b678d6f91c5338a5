-- mlsync install script, part 30: listing history and the event outbox
-- (REQUIREMENTS F13-F15).

-- Every status and price change of a listing, with when it happened at the
-- source and when mlsync saw it.  Feeds events and market statistics
-- (point-in-time inventory is read from here, not from today's status).
CREATE TABLE mls_listing_history (
	tenant_id		text NOT NULL,
	history_id		bigint GENERATED ALWAYS AS IDENTITY,
	connection		text NOT NULL,
	listing_key		text NOT NULL,
	change			text NOT NULL CHECK (change IN ('listed', 'status', 'price', 'removed')),
	old_status		text,
	new_status		text,
	old_price		numeric(14, 2),
	new_price		numeric(14, 2),
	effective_at	timestamptz NOT NULL,
	observed_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, history_id)
);

CREATE INDEX mls_listing_history_listing_idx
	ON mls_listing_history (tenant_id, connection, listing_key, effective_at);

COMMENT ON TABLE mls_listing_history IS 'status and price changes of listings over time';
COMMENT ON COLUMN mls_listing_history.effective_at IS 'when the change happened at the source (its status or price change timestamp, else its modification timestamp, else observed_at)';
COMMENT ON COLUMN mls_listing_history.observed_at IS 'when mlsync recorded the change';

-- The durable event outbox.
CREATE TABLE mls_events (
	tenant_id		text NOT NULL,
	event_id		bigint GENERATED ALWAYS AS IDENTITY,
	kind			text NOT NULL,
	connection		text,
	listing_key		text,
	watcher			text,
	payload			jsonb NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, event_id)
);

COMMENT ON TABLE mls_events IS 'durable outbox of listing and admin events';

SELECT pg_catalog.pg_extension_config_dump('mls_listing_history', '');
SELECT pg_catalog.pg_extension_config_dump('mls_events', '');
SELECT pg_catalog.pg_extension_config_dump('mls_listing_history_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('mls_events_event_id_seq', '');
