# pg_dump of a database with mlsync restores into a new database without any
# setting, with pg_restore (custom archive) and with psql < dump.sql (plain
# script): every row that syncs and applications put in the extension's
# tables comes back exactly once, with the same contents (listings,
# history, events, deliveries and their claims, alerts, runs, errors,
# credentials), the identity sequences continue after the restored rows,
# and the built-in mapping set comes from CREATE EXTENSION only once.  The
# restore's COPY into mls_listings and mls_events records nothing again
# (docs/events.md, "Restoring a dump").
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('dump');

sub sql { return $node->safe_psql($_[1] // 'postgres', $_[0]); }

# A database as syncs and applications leave it: a full sync (history, no
# events on a first load), a subscription, a watched listing and a saved
# search, then a market move and an incremental sync (events, deliveries,
# alerts), a failed request retried (an error row), claims in flight, time
# events, a RETS connection with a password, a local mapping set and a local
# edit.
sql(q{
	SELECT mls_test.reset('{"mls": "d", "listings": 80, "seed": 5}');
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'k', protocol => 'reso', endpoint => mls_test.reso_root('d'),
							  token_url => mls_test.token_url('d'), username => 'mlsync');
	SELECT mlsync.mls_set_credentials('acme', 'k', client_secret => 's3cret');
	SELECT mlsync.mls_connect('acme', 'bay', protocol => 'rets', rets_class => 'RES',
							  endpoint => 'http://rets.example.com/login', mapping_set => 'reso-dd-2.0');
	SELECT mlsync.mls_set_credentials('acme', 'bay', password => 'hunter2');
	INSERT INTO mlsync.mls_mapping_sets (mapping_set) VALUES ('local');
	INSERT INTO mlsync.mls_field_mappings (mapping_set, target, source_field) VALUES ('local', 'listing_key', 'L_ID');
	SELECT mlsync.mls_subscribe('crm', NULL, 'acme');
	INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, name) VALUES ('acme', 'buyer1', 'anything');
});
sql(q{SELECT mlsync.mls_sync('acme', 'k', mode => 'full', wait => true)});
sql(q{
	INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key)
	SELECT 'acme', 'buyer2', 'k', min(listing_key) FROM mlsync.mls_listings;
	UPDATE mlsync.mls_listings SET local_overrides = '{"public_remarks": "mine"}'
	 WHERE listing_key = (SELECT max(listing_key) FROM mlsync.mls_listings);
	SELECT mls_test.advance('{"mls": "d", "seed": 9, "price_cut": 20, "pending": 10, "closed": 5, "new": 5}');
	SELECT mls_test.fault('{"mls": "d", "path": "/reso/odata/Property", "fault": "http_503", "count": 1}');
});
sql(q{SELECT mlsync.mls_sync('acme', 'k', wait => true)});
sql(q{
	SELECT mlsync.mls_detect_time_events('acme');
	SELECT count(*) FROM mlsync.mls_events_claim('crm', 5, '1 hour');
});

# what every later check compares: rows per kind of object
my $facts = q{
	SELECT string_agg(format('%s=%s', t, n), ' ' ORDER BY t) FROM (
		SELECT 'alerts' t, count(*) n FROM mlsync.mls_alerts UNION ALL
		SELECT 'claimed', count(*) FROM mlsync.mls_event_deliveries WHERE claimed_until > now() UNION ALL
		SELECT 'deliveries', count(*) FROM mlsync.mls_event_deliveries UNION ALL
		SELECT 'errors', count(*) FROM mlsync.mls_sync_errors UNION ALL
		SELECT 'events', count(*) FROM mlsync.mls_events UNION ALL
		SELECT 'history', count(*) FROM mlsync.mls_listing_history UNION ALL
		SELECT 'listings', count(*) FROM mlsync.mls_listings UNION ALL
		SELECT 'runs', count(*) FROM mlsync.mls_sync_history) s};
my $before = sql($facts);
like($before,
	qr/^alerts=[1-9]\d* claimed=5 deliveries=[1-9]\d* errors=[1-9]\d* events=[1-9]\d* history=[1-9]\d* listings=8\d runs=2$/,
	"the database to dump has rows of every kind ($before)");

# Every table the extension registers for pg_dump, its rows and contents,
# and every registered sequence's position (MlsTest::registered_contents)
sub contents { return registered_contents($node, $_[0]); }
my $original = contents('postgres');
cmp_ok(scalar(() = $original =~ /rows/g), '>=', 20, 'the extension registers its user tables for pg_dump');

# no setting anywhere: not in the environment, not in the server
is(sql(q{SELECT current_setting('mlsync.listing_events')}), 'on', 'mlsync.listing_events is at its default');
delete $ENV{PGOPTIONS};

my $plain = $node->basedir . '/dump.sql';
my $archive = $node->basedir . '/dump.custom';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('postgres'), '-f', $plain ], 'pg_dump writes a plain script');
$node->command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('postgres'), '-f', $archive ],
	'pg_dump writes a custom archive');

sql('CREATE DATABASE restored_plain');
my ($ret, $stdout, $stderr) = $node->psql('restored_plain', slurp_file($plain), on_error_stop => 1);
is($ret, 0, 'psql < dump.sql restores the plain dump without any setting');
unlike($stderr, qr/ERROR/, 'and without any error');

sql('CREATE DATABASE restored_archive');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('restored_archive'), $archive ],
	'pg_restore restores the archive without any setting');

foreach my $db ('restored_plain', 'restored_archive')
{
	is(sql($facts, $db), $before, "$db: as many listings, history rows, events, deliveries, claims, alerts, runs, errors");
	is(contents($db), $original, "$db: every registered table has the same rows, every sequence the same position");
	is(sql(q{SELECT count(*) FROM mlsync.mls_events GROUP BY tenant_id, kind, listing_key, payload, created_at
			  HAVING count(*) > 1 LIMIT 1}, $db), '', "$db: no event twice");
	is(sql(q{SELECT count(*) FROM mlsync.mls_field_mappings WHERE mapping_set = 'reso-dd-2.0'}, $db),
		sql(q{SELECT count(*) FROM mlsync.mls_field_mappings WHERE mapping_set = 'reso-dd-2.0'}),
		"$db: the built-in mapping set once");
	is(sql(q{SELECT list_price IS NOT NULL AND (local_overrides ->> 'public_remarks') = 'mine'
			   FROM mlsync.mls_listings WHERE local_overrides <> '{}'}, $db),
		't', "$db: local overrides survive");
	is(sql(q{SELECT string_agg(kind || ':' || decryptable, ',' ORDER BY connection)
			   FROM (SELECT 'bay' AS connection, * FROM mlsync.mls_credentials_status('acme', 'bay')
					 UNION ALL SELECT 'k', * FROM mlsync.mls_credentials_status('acme', 'k')) s}, $db),
		'password:true,client_secret:true', "$db: restored credentials still decrypt with the key");

	# the restored database goes on: one new change, one event, one delivery,
	# numbered after the restored ones
	my $max = sql(q{SELECT max(event_id) FROM mlsync.mls_events}, $db);
	sql(q{UPDATE mlsync.mls_listings SET list_price = list_price - 1000
		   WHERE listing_key = (SELECT max(listing_key) FROM mlsync.mls_listings WHERE removed_at IS NULL)}, $db);
	is(sql(qq{SELECT string_agg(e.kind || ' to ' || d.consumer, ',' ORDER BY e.event_id)
				FROM mlsync.mls_events e LEFT JOIN mlsync.mls_event_deliveries d USING (event_id)
			   WHERE e.event_id > $max}, $db),
		'price_reduced to crm,alert to crm',
		"$db: a new price cut raises one event (and the saved search's alert), numbered after the restored ones, delivered once");
}

$node->stop;
done_testing();
