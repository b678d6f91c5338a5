# Events survive a server restart and a crash: the outbox, the delivery
# state (including claims, which come back after their visibility timeout),
# the history and the marks that keep alerts and time events unique.  A dump
# restored without any setting is the database as it was (test
# 001_dump_restore checks every table).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('restart');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION mlsync;
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'bay', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
	SELECT mlsync.mls_subscribe('crm', NULL, 'acme');
	INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key) VALUES ('acme', 'w1', 'bay', 'k1');
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price, on_market_date)
	SELECT 'acme', 'bay', 'k' || i, 'Active', 100000 * i, date '2024-01-01' FROM generate_series(1, 10) i;
	UPDATE mlsync.mls_listings SET standard_status = 'Closed' WHERE listing_key IN ('k1', 'k2');
	SELECT mlsync.mls_detect_time_events(NULL, '2024-02-01');
});

my $state = q{
	SELECT string_agg(format('%s=%s', t, n), ' ' ORDER BY t) FROM (
		SELECT 'events' t, count(*) n FROM mlsync.mls_events UNION ALL
		SELECT 'deliveries', count(*) FROM mlsync.mls_event_deliveries UNION ALL
		SELECT 'claimed', count(*) FROM mlsync.mls_event_deliveries WHERE claimed_until > now() UNION ALL
		SELECT 'history', count(*) FROM mlsync.mls_listing_history UNION ALL
		SELECT 'alerts', count(*) FROM mlsync.mls_alerts UNION ALL
		SELECT 'marks', count(*) FROM mlsync.mls_time_event_marks UNION ALL
		SELECT 'subscriptions', count(*) FROM mlsync.mls_subscriptions) s};

# Claim three and do not acknowledge them: they are in flight at the restart.
is($node->safe_psql('postgres', q{SELECT count(*) FROM mlsync.mls_events_claim('crm', 3, '3 seconds')}),
	'3', 'three events claimed, not acknowledged');
my $before = $node->safe_psql('postgres', $state);
like($before, qr/alerts=2 claimed=3 deliveries=26 events=26 history=12 marks=8 subscriptions=1/,
	'the outbox before the restart');

$node->restart;
is($node->safe_psql('postgres', $state), $before, 'a restart keeps every event, delivery, claim and mark');
ok( $node->poll_query_until('postgres', q{
		SELECT count(*) = 3 FROM mlsync.mls_event_deliveries WHERE claimed_until <= now()}),
	'the claims expire after their timeout');
is($node->safe_psql('postgres', q{
	SELECT format('%s events, %s of them a second time, %s acknowledged', count(*),
				  count(*) FILTER (WHERE attempts = 2), mlsync.mls_events_ack('crm', array_agg(event_id)))
	  FROM mlsync.mls_events_claim('crm', 100)}),
	'26 events, 3 of them a second time, 26 acknowledged',
	'then every event is delivered, the three in flight at the restart again');
is($node->safe_psql('postgres', q{SELECT mlsync.mls_detect_time_events(NULL, '2024-02-01')}),
	'0', 'time events already raised are not raised again after the restart');

# A crash: what committed is there, what did not is not.
my $open = $node->background_psql('postgres');
$open->query_safe(q{BEGIN; UPDATE mlsync.mls_listings SET list_price = 1 WHERE listing_key = 'k5'});
$node->safe_psql('postgres', q{UPDATE mlsync.mls_listings SET list_price = 2 WHERE listing_key = 'k6'});
$node->stop('immediate');
$open->{run}->finish;
$node->start;
is($node->safe_psql('postgres', q{
	SELECT string_agg(listing_key || ':' || kind, ',' ORDER BY event_id)
	  FROM mlsync.mls_events e JOIN mlsync.mls_event_deliveries d USING (event_id)}),
	'k6:price_reduced', 'after a crash the committed event is there and owed, the uncommitted one is not');

# Dump and restore.
$node->safe_psql('postgres', q{SELECT mlsync.mls_events_claim('crm', 1, '1 hour')});
$before = $node->safe_psql('postgres', $state);
my $dump = $node->basedir . '/dump.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('postgres'), '-f', $dump ], 'pg_dump runs');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-q', '-d', $node->connstr('restored'), '-f', $dump ],
	'the dump restores without any setting');
is($node->safe_psql('restored', $state), $before,
	'the restored outbox is the same: events, deliveries, the claim, history, alerts, marks');
is($node->safe_psql('restored', q{
	SELECT string_agg(kind, ',') FROM mlsync.mls_events_claim('crm', 10)}),
	'', 'the claim is still in force in the restored database');
$node->safe_psql('restored', q{UPDATE mlsync.mls_listings SET list_price = 3 WHERE listing_key = 'k7'});
is($node->safe_psql('restored', q{
	SELECT count(*) FROM mlsync.mls_event_deliveries d JOIN mlsync.mls_events e USING (event_id)
	 WHERE e.listing_key = 'k7' AND e.kind = 'price_reduced'}),
	'1', 'and the restored database raises and delivers new events');

$node->stop;
done_testing();
