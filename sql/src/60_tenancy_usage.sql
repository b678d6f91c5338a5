-- mlsync install script, part 60 (usage): what each tenant used, per day,
-- for billing and quotas (docs/features.md F19).
--
-- The sync engine adds to a tenant's row of the day (UTC) at every batch,
-- from the counters it keeps anyway (src/engine/store.c, MlsStoreProgress):
-- the requests, bytes and listing changes since the run's last progress,
-- and the events its batch raised (noted for the commit's NOTIFY, see
-- src/events/events.c).  Nothing reads the listings again to count them,
-- except listings_held once per tenant and day.  docs/tenancy.md has the
-- definitions.

CREATE TABLE mls_usage (
	tenant_id		text NOT NULL REFERENCES mls_tenants ON DELETE CASCADE,
	day				date NOT NULL,
	listings_held	bigint,
	listings_changed bigint NOT NULL DEFAULT 0,
	requests		bigint NOT NULL DEFAULT 0,
	bytes_downloaded bigint NOT NULL DEFAULT 0,
	media_bytes_stored bigint,
	events_raised	bigint NOT NULL DEFAULT 0,
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, day)
) WITH (fillfactor = 50);	-- updated after every batch: room for HOT updates

COMMENT ON TABLE mls_usage IS 'per tenant and UTC day: listings held and changed, requests and bytes sent by MLS servers, media bytes stored, events raised; kept by the sync engine as it goes';
COMMENT ON COLUMN mls_usage.listings_held IS 'listings not removed: counted at the tenant''s first sync write of the day, then kept by the runs'' inserted and removed counts (NULL until then)';
COMMENT ON COLUMN mls_usage.listings_changed IS 'listings inserted, updated or removed by syncs (dry runs excluded)';
COMMENT ON COLUMN mls_usage.requests IS 'requests to MLS servers (the quota max_requests_per_day counts these)';
COMMENT ON COLUMN mls_usage.bytes_downloaded IS 'bytes of response bodies from MLS servers';
COMMENT ON COLUMN mls_usage.media_bytes_stored IS 'bytes of media files the tenant stores, set by the media download whenever files are added or deleted (NULL on days nothing changed)';
COMMENT ON COLUMN mls_usage.events_raised IS 'events raised by syncs, mls_detect_time_events and mls_emit_event, with the alerts they caused';

SELECT pg_catalog.pg_extension_config_dump('mls_usage', '');
SELECT mls_protect_tenant_table('mls_usage', 'read', 'admin');

-- API: Private.  Adds the events this transaction raised at the current
-- nesting level, and has not counted yet, to mls_usage (src/tenancy/usage.c).
-- Functions that raise events outside a sync call it before they return.
-- It can only count events that were really inserted, so every role may
-- call it; it writes as the owner because roles may not write mls_usage.
CREATE FUNCTION mls_usage_record_events() RETURNS bigint
LANGUAGE c VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', $$mls_usage_record_events$$;

COMMENT ON FUNCTION mls_usage_record_events() IS
'count the events this transaction raised (at this nesting level) in mls_usage; returns how many were counted';
