# An installation created with mlsync.listing_partitions = 4 has
# mls_listings and mls_listing_history partitioned by tenant hash, every
# partition registered for pg_dump.  Syncs converge to the server's truth;
# the writer's and the triggers' capture (history, events, deliveries,
# alerts), the statistics and the property matching work as on plain
# tables; each tenant's rows sit in one partition.  pg_dump
# --load-via-partition-root restores it into a database created with another
# partition count, or none, with the same rows; a plain database's dump
# restores into a partitioned one; pg_upgrade carries it over to a new
# cluster, where syncs go on (docs/scaling.md, "Partitioning").
use strict;
use warnings;
use Cwd ();
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('partitioned', 'mlsync.listing_partitions = 4');

sub sql { return $node->safe_psql($_[1] // 'postgres', $_[0]); }

# partitioned tables and their partitions count, in database $db
my $layout = q{
	SELECT string_agg(c.relname || ' ' || c.relkind::text || ' '
					  || (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid), ', ' ORDER BY c.relname)
	  FROM pg_class c
	 WHERE c.oid IN ('mlsync.mls_listings'::regclass, 'mlsync.mls_listing_history'::regclass)};
is(sql($layout), 'mls_listing_history p 4, mls_listings p 4',
	'both tables are partitioned, into 4 partitions each');
is(sql(q{SELECT string_agg(c.relname, ' ' ORDER BY c.relname)
		   FROM pg_extension x, unnest(x.extconfig) e(oid) JOIN pg_class c ON c.oid = e.oid
		  WHERE c.relispartition}),
	join(' ', map { "mls_listing_history_p$_" } 0 .. 3) . ' ' . join(' ', map { "mls_listings_p$_" } 0 .. 3),
	'every partition is registered for pg_dump');
is(sql(q{SELECT count(*) FILTER (WHERE pa.attcompression = 'l') || ' '
				|| count(*) FILTER (WHERE (pa.attcompression, pa.attstorage) IS DISTINCT FROM (ta.attcompression, ta.attstorage))
		   FROM pg_inherits i
		   JOIN pg_attribute ta ON ta.attrelid = i.inhparent AND ta.attnum > 0
		   JOIN pg_attribute pa ON pa.attrelid = i.inhrelid AND pa.attname = ta.attname
		  WHERE i.inhparent IN ('mlsync.mls_listings'::regclass, 'mlsync.mls_listing_history'::regclass)}),
	'4 0', 'every partition compresses and stores each column as its table does (raw with lz4)');
is(sql(q{SELECT pg_get_serial_sequence('mlsync.mls_listing_history', 'history_id')}),
	'mlsync.mls_listing_history_history_id_seq', 'the history identity keeps its sequence name');

# Three tenants on two MLSs; a subscriber and a saved search of acme's.
sql(q{
	SELECT mls_test.reset('{"mls": "pa", "listings": 60, "seed": 5}');
	SELECT mls_test.reset('{"mls": "pb", "listings": 40, "seed": 6}');
	SELECT mlsync.mls_create_tenant(t) FROM unnest(ARRAY['acme', 'bravo', 'cobalt']) t;
	SELECT mlsync.mls_connect(t, 'k', protocol => 'reso', endpoint => mls_test.reso_root(m),
							  token_url => mls_test.token_url(m), username => 'mlsync')
	  FROM (VALUES ('acme', 'pa'), ('bravo', 'pb'), ('cobalt', 'pa')) v(t, m);
	SELECT mlsync.mls_set_credentials(t, 'k', client_secret => 's3cret')
	  FROM unnest(ARRAY['acme', 'bravo', 'cobalt']) t;
	SELECT mlsync.mls_subscribe('crm', NULL, 'acme');
	INSERT INTO mlsync.mls_saved_searches (tenant_id, watcher, name) VALUES ('acme', 'buyer1', 'anything');
});
sql(q{SELECT mlsync.mls_sync(t, 'k', mode => 'full', wait => true) FROM unnest(ARRAY['acme', 'bravo', 'cobalt']) t});
sql(q{SELECT mls_test.advance('{"mls": "pa", "seed": 9, "price_cut": 10, "pending": 5, "closed": 3, "new": 4}')});
sql(q{SELECT mlsync.mls_sync(t, 'k', wait => true) FROM unnest(ARRAY['acme', 'cobalt']) t});

is(sql(q{SELECT string_agg(format('%s %s/%s/%s', t, d.missing, d.extra, d.different), ', ' ORDER BY t)
		   FROM (VALUES ('acme', 'pa'), ('bravo', 'pb'), ('cobalt', 'pa')) v(t, m),
				mls_test.diff(t, 'k', m) d}),
	'acme 0/0/0, bravo 0/0/0, cobalt 0/0/0',
	'every tenant holds its MLS exactly (none missing, none extra, none different)');
is(sql(q{SELECT string_agg(format('%s %s', tenant_id, n), ', ' ORDER BY tenant_id)
		   FROM (SELECT tenant_id, count(DISTINCT tableoid) AS n FROM mlsync.mls_listings GROUP BY 1
				 UNION ALL
				 SELECT tenant_id || ' history', count(DISTINCT tableoid) FROM mlsync.mls_listing_history GROUP BY 1) s}),
	'acme 1, acme history 1, bravo 1, bravo history 1, cobalt 1, cobalt history 1',
	'each tenant\'s listings, and its history, are in one partition');
cmp_ok(sql(q{SELECT count(DISTINCT tableoid) FROM mlsync.mls_listings}), '>', 1,
	'the tenants are spread over several partitions');

# The writer's capture of the incremental sync: one price history row and
# one price_reduced event per price cut (10), delivered to the subscriber,
# and the saved search's alerts
is(sql(q{SELECT count(*) FROM mlsync.mls_listing_history
		  WHERE tenant_id = 'acme' AND change = 'price' AND new_price < old_price}),
	'10', 'the sync recorded a price history row for each of the 10 price cuts');
is(sql(q{SELECT count(*) || ' ' || count(d.event_id)
		   FROM mlsync.mls_events e
		   LEFT JOIN mlsync.mls_event_deliveries d ON d.event_id = e.event_id AND d.consumer = 'crm'
		  WHERE e.tenant_id = 'acme' AND e.kind = 'price_reduced'}),
	'10 10', 'and a price_reduced event for each, delivered to the subscriber');
cmp_ok(sql(q{SELECT count(*) FROM mlsync.mls_alerts WHERE tenant_id = 'acme'}), '>', 0,
	'the saved search got alerts');

# The triggers' capture of an application's own write
my $max = sql(q{SELECT max(event_id) FROM mlsync.mls_events});
sql(q{UPDATE mlsync.mls_listings SET list_price = list_price - 1000
	   WHERE tenant_id = 'acme'
		 AND listing_key = (SELECT max(listing_key) FROM mlsync.mls_listings
							 WHERE tenant_id = 'acme' AND removed_at IS NULL AND standard_status = 'Active')});
is(sql(qq{SELECT string_agg(e.kind, ',' ORDER BY e.event_id) FROM mlsync.mls_events e WHERE e.event_id > $max}),
	'price_reduced,alert', 'a direct price cut raises its event and the saved search\'s alert');

# Statistics and property matching
cmp_ok(sql(q{SELECT mlsync.mls_refresh_stats()}), '>', 0, 'the statistics refresh');
is(sql(q{SELECT string_agg(DISTINCT tenant_id, ' ' ORDER BY tenant_id) FROM mlsync.market_stats}), 'acme bravo cobalt',
	'every tenant has statistics');
is(sql(q{SELECT count(*) FILTER (WHERE l.property_id IS NULL) || ' ' || count(*) FILTER (WHERE m.listing_key IS NULL)
		   FROM mlsync.mls_listings l
		   LEFT JOIN mlsync.mls_listing_matches m
			 ON m.tenant_id = l.tenant_id AND m.connection = l.connection AND m.listing_key = l.listing_key}),
	'0 0', 'every listing was matched to a property, and its match recorded (a foreign key to the partitioned table)');

# A role that may read acme reads its listings through the table, and no
# partition directly
sql(q{CREATE ROLE acme_reader LOGIN; SELECT mlsync.mls_grant_tenant('acme', 'acme_reader', 'read')});
my ($ret, $out, $err) = $node->psql('postgres',
	q{SELECT string_agg(DISTINCT tenant_id, ' ') || ' ' || count(*) FROM mlsync.mls_listings},
	extra_params => [ '-U', 'acme_reader' ]);
is($out, 'acme ' . sql(q{SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'acme'}),
	'a reader of acme reads acme\'s listings through the table');
my $partition = sql(q{SELECT tableoid::regclass FROM mlsync.mls_listings WHERE tenant_id = 'acme' LIMIT 1});
($ret, $out, $err) = $node->psql('postgres', "SELECT count(*) FROM $partition",
	extra_params => [ '-U', 'acme_reader' ]);
like($err, qr/permission denied for table/, "and not its partition $partition");

# Renaming a connection moves its listings and history between partitions'
# rows (the partitioned tables are renamed as tables, not partition by
# partition)
my $bravo = sql(q{SELECT count(*) || ' ' || (SELECT count(*) FROM mlsync.mls_listing_history WHERE tenant_id = 'bravo')
				   FROM mlsync.mls_listings WHERE tenant_id = 'bravo'});
is(sql(q{SELECT mlsync.mls_rename_connection('bravo', 'k', 'k2')}), 'k2', 'a connection is renamed');
is(sql(q{SELECT count(*) || ' ' || (SELECT count(*) FROM mlsync.mls_listing_history WHERE tenant_id = 'bravo' AND connection = 'k2')
		   FROM mlsync.mls_listings WHERE tenant_id = 'bravo' AND connection = 'k2'}),
	$bravo, 'with all its listings and history');

# Dump with --load-via-partition-root; restore into another partition
# count, and into plain tables; then the plain database's dump into
# partitioned tables
my $original = registered_contents($node, 'postgres');
my $dump = $node->basedir . '/partitioned.custom';
$node->command_ok(
	[ 'pg_dump', '-Fc', '--load-via-partition-root', '-d', $node->connstr('postgres'), '-f', $dump ],
	'pg_dump --load-via-partition-root writes the partitioned database');
foreach my $restore ([ 'two', 2, 'mls_listing_history p 2, mls_listings p 2' ],
					 [ 'plain', 0, 'mls_listing_history r 0, mls_listings r 0' ])
{
	my ($db, $partitions, $expected) = @$restore;
	sql("CREATE DATABASE $db");
	local $ENV{PGOPTIONS} = "-c mlsync.listing_partitions=$partitions";
	$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr($db), $dump ],
		"pg_restore into a database created with mlsync.listing_partitions = $partitions");
	is(sql($layout, $db), $expected, "$db: the layout of the database it was restored into");
	is(registered_contents($node, $db), $original, "$db: every registered table has the same rows");
}
my $plain_dump = $node->basedir . '/plain.custom';
$node->command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('plain'), '-f', $plain_dump ],
	'pg_dump of the plain database');
sql('CREATE DATABASE eight');
{
	local $ENV{PGOPTIONS} = '-c mlsync.listing_partitions=8';
	$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('eight'), $plain_dump ],
		'pg_restore of the plain dump into a database created with mlsync.listing_partitions = 8');
}
is(sql($layout, 'eight'), 'mls_listing_history p 8, mls_listings p 8', 'eight: partitioned, 8 each');
is(registered_contents($node, 'eight'), $original, 'eight: every registered table has the same rows');

# pg_upgrade (between two clusters of this PostgreSQL, as a major upgrade
# would run): the partitioned tables and their rows come across as they
# are, and the writer and the capture work on them afterwards
my $before_upgrade = registered_contents($node, 'postgres');
my $upgraded = PostgreSQL::Test::Cluster->new('upgraded');
$upgraded->init;
configure_mlsync_node($upgraded, 'mlsync.listing_partitions = 4');
$node->stop;
my $bindir = $node->config_data('--bindir');
{
	# pg_upgrade writes its files in the current directory
	my $cwd = Cwd::getcwd();
	chdir $upgraded->basedir or die "cannot chdir: $!";
	$node->command_ok(
		[ 'pg_upgrade', '--no-sync', '-d', $node->data_dir, '-D', $upgraded->data_dir,
		  '-b', $bindir, '-B', $bindir, '-s', $upgraded->host, '-p', $node->port, '-P', $upgraded->port ],
		'pg_upgrade of the partitioned installation');
	chdir $cwd or die "cannot chdir back: $!";
}
$upgraded->start;
$node = $upgraded;
is(sql($layout), 'mls_listing_history p 4, mls_listings p 4', 'upgraded: still partitioned, 4 each');
is(registered_contents($node, 'postgres'), $before_upgrade, 'upgraded: every registered table has the same rows');
sql(q{SELECT mls_test.advance('{"mls": "pa", "seed": 11, "price_cut": 6, "new": 2}')});
$max = sql(q{SELECT coalesce(max(history_id), 0) FROM mlsync.mls_listing_history});
sql(q{SELECT mlsync.mls_sync('acme', 'k', wait => true)});
is(sql(q{SELECT d.missing || '/' || d.extra || '/' || d.different FROM mls_test.diff('acme', 'k', 'pa') d}),
	'0/0/0', 'upgraded: an incremental sync converges to the MLS');
is(sql(qq{SELECT count(*) FILTER (WHERE change = 'price') || ' ' || count(*) FILTER (WHERE change = 'listed')
			FROM mlsync.mls_listing_history WHERE tenant_id = 'acme' AND history_id > $max}),
	'6 2', 'upgraded: and records a price row for each of the 6 cuts and a listed row for each of the 2 new listings');

$node->stop;
done_testing();
