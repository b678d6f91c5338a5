# The statistics refresh and the writers that mark listings for it run side
# by side: while a refresh holds the marks it took (its transaction still
# open), a sync that writes the same listings, and an application marking
# them, go on without waiting; their marks stay for the next refresh, which
# then agrees with the full computation.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('marks');

sub sql { return $node->safe_psql('postgres', $_[0]); }

# Rows by which market_stats and the full computation as of now differ.
my $differences = q{SELECT mls_test.stats_differences(ARRAY['acme'], now())};

connect_sample_reso($node, 'acme', 'sm', '{"listings": 300, "seed": 65}', 100);
sql(q{SELECT mlsync.mls_sync('acme', 'sm', mode => 'full', wait => true)});
cmp_ok(sql(q{SELECT mlsync.mls_refresh_stats()}), '>', 0, 'the first refresh builds the statistics');
is(sql($differences), '0', 'and agrees with the full computation');

# Every listing marked, then a refresh takes the marks and stays open.
sql(q{INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	  SELECT tenant_id, connection, listing_key FROM mlsync.mls_listings WHERE tenant_id = 'acme'});
my $refresh = $node->background_psql('postgres');
$refresh->query_safe('BEGIN');
cmp_ok($refresh->query_safe('SELECT mlsync.mls_refresh_stats()'), '>', 0,
	'a refresh took every listing\'s mark and has not committed');

# Meanwhile the market moves, and a sync writes and marks the listings.
sql(q{CREATE TABLE before_sync AS
	  SELECT listing_key, raw_hash FROM mlsync.mls_listings WHERE tenant_id = 'acme'});
sql(q{SELECT mls_test.advance('{"mls": "sm", "seed": 66, "new": 4, "price_cut": 12,
		"price_raise": 3, "pending": 6, "closed": 5}')});
my ($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '30s';
	SELECT mlsync.mls_sync('acme', 'sm', wait => true);
	SELECT state || ' ' || (inserted + updated) FROM mlsync.mls_sync_history
	 WHERE tenant_id = 'acme' ORDER BY run_id DESC LIMIT 1});
is($rc, 0, 'the sync did not wait for the refresh') or diag($err);
my ($state, $written) = split / /, (split /\n/, $out)[-1] // '';
is($state, 'succeeded', 'the sync succeeded');
cmp_ok($written, '>=', 25, "it wrote the changed listings ($written)");
($rc, $out, $err) = $node->psql('postgres', q{
	SET statement_timeout = '5s';
	INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	SELECT tenant_id, connection, listing_key FROM mlsync.mls_listings
	 WHERE tenant_id = 'acme' ORDER BY listing_key LIMIT 10});
is($rc, 0, 'an application marking listings the refresh took does not wait either') or diag($err);

$refresh->query_safe('COMMIT');
$refresh->quit;

# What was marked while the refresh ran is there for the next one: every
# listing the sync changed (the matcher marks some more: those sharing a
# property with them) and the application's ten.
is(sql(q{SELECT count(*) FROM (
			SELECT l.listing_key FROM mlsync.mls_listings l
			  LEFT JOIN before_sync b USING (listing_key)
			 WHERE l.tenant_id = 'acme' AND l.raw_hash IS DISTINCT FROM b.raw_hash
			UNION
			(SELECT listing_key FROM mlsync.mls_listings
			  WHERE tenant_id = 'acme' ORDER BY 1 LIMIT 10)) k
		  WHERE NOT EXISTS (SELECT FROM mlsync.mls_stats_dirty d
							 WHERE d.tenant_id = 'acme' AND d.listing_key = k.listing_key)}),
	'0', 'the marks written while the refresh ran outlived it');
cmp_ok(sql(q{SELECT mlsync.mls_refresh_stats()}), '>', 0, 'the next refresh');
is(sql($differences), '0', 'it counts the sync\'s changes: the statistics agree with the full computation');
is(sql(q{SELECT count(*) FROM mlsync.mls_stats_dirty}), '0', 'and took every mark');

# A listing already marked is written again, with its mark, by a writer that
# has not committed when a refresh takes the older mark and commits.  The
# writer's mark is a row of its own, so the next refresh counts its change.
# (With a unique key, the writer's "ON CONFLICT DO NOTHING" found the older
# mark and wrote none, the refresh took it before the change was visible,
# and the change was never counted.)
my $key = sql(q{SELECT listing_key FROM mlsync.mls_listings
				 WHERE tenant_id = 'acme' AND standard_status = 'Active' ORDER BY listing_key LIMIT 1});
sql(qq{INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
	   VALUES ('acme', 'sm', '$key')});
my $writer = $node->background_psql('postgres');
$writer->query_safe('BEGIN');
$writer->query_safe(qq{UPDATE mlsync.mls_listings SET city = 'Elsewhere'
						WHERE tenant_id = 'acme' AND connection = 'sm' AND listing_key = '$key'});
$writer->query_safe(qq{INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)
						VALUES ('acme', 'sm', '$key') ON CONFLICT DO NOTHING});
cmp_ok(sql(q{SET statement_timeout = '30s'; SELECT mlsync.mls_refresh_stats()}), '>', 0,
	'a refresh takes the older mark while the writer has not committed');
$writer->query_safe('COMMIT');
$writer->quit;
cmp_ok(sql(q{SELECT mlsync.mls_refresh_stats()}), '>', 0, 'the next refresh');
is(sql(q{SELECT count(*) FROM mlsync.market_stats
		  WHERE tenant_id = 'acme' AND area_type = 'city' AND area = 'Elsewhere'}) > 0 ? 'yes' : 'no',
	'yes', 'it counts the listing in its new city');
is(sql($differences), '0', 'the statistics agree with the full computation');

done_testing();
