# An upgrade from 0.1.0 (docs/upgrading.md): a database created at 0.1.0 and
# holding the rows 0.1.0 itself wrote (test/upgrade/mlsync-0.1.0-data.sql),
# served by the new library, then ALTER EXTENSION mlsync UPDATE.
#
# - Before the update the launcher waits, saying so once, and mls_sync()
#   refuses with a hint: the new library never writes into the old tables.
# - After it, the extension's objects are those of a fresh install, fact for
#   fact (test/upgrade/schema.sql: columns in order, constraints, indexes,
#   triggers, policies, views, functions, privileges, comments, what pg_dump
#   dumps), and every row of every table 0.1.0 registered for pg_dump is
#   there with the same values.
# - Runs 0.1.0 left queued on a disabled connection are canceled by the
#   update itself, as disabling a connection does now.
# - The upgraded database works: 0.1.0's credentials still decrypt, a price
#   cut raises events, deliveries and an alert numbered after the old ones,
#   and a sync queued for the launcher converges to the sample server.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
# the launcher serves the database to upgrade; postgres holds a fresh install
my $node = new_mlsync_node('upgrade', "mlsync.database_name = 'old'");
my $fresh_version = $node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'mlsync'});
my $release = '0.1.0';

sub sql { return $node->safe_psql($_[1] // 'old', $_[0]); }

# the facts of test/upgrade/schema.sql, as object => definition
sub schema_facts
{
	my ($db) = @_;
	my %facts;
	foreach my $line (split /\n/, sql(slurp_file('test/upgrade/schema.sql'), $db))
	{
		my ($object, $definition) = split /\t/, $line, 2;
		$facts{$object} .= ($definition // '') . "\n";
	}
	return \%facts;
}

# --- a database at 0.1.0 with 0.1.0's rows --------------------------------
sql('CREATE DATABASE old', 'postgres');
sql("CREATE EXTENSION mlsync VERSION '$release'");
is(sql(q{SELECT extversion FROM pg_extension WHERE extname = 'mlsync'}), $release, "the database is at $release");
# as 0.1.0 documented for restoring rows: no event is recorded again
my ($ret, $out, $err) = $node->psql('old', "SET mlsync.listing_events = off;\n"
	. slurp_file('test/upgrade/mlsync-0.1.0-data.sql'), on_error_stop => 1);
is($ret, 0, "the rows $release wrote load into the $release schema") or diag($err);

# every table 0.1.0 registers for pg_dump, with its columns and condition
my @tables = map { [ split /\|/, $_, 3 ] } split /\n/, sql(q{
	SELECT c.relname || '|' || coalesce(e.condition, '') || '|' ||
		   (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
			 WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped)
	  FROM pg_extension x, unnest(x.extconfig, x.extcondition) e(oid, condition)
	  JOIN pg_class c ON c.oid = e.oid
	 WHERE x.extname = 'mlsync' AND c.relkind = 'r' ORDER BY 1});
cmp_ok(scalar(@tables), '>=', 18, "$release registers its user tables for pg_dump");

# rows and contents of each, read through 0.1.0's columns; with $migrated,
# as the upgrade declares it changes them (CHANGELOG.md): photo_policy
# 'metadata', which did nothing in 0.1.0, becomes 'none'
sub contents
{
	my ($migrated) = @_;
	my @parts;
	foreach my $table (@tables)
	{
		my ($name, $condition, $columns) = @$table;
		$columns =~ s/\bphoto_policy\b/CASE photo_policy WHEN 'metadata' THEN 'none' ELSE photo_policy END/
		  if $migrated && $name eq 'mls_connections';
		push @parts, "$name: " . sql(qq{
			SELECT count(*) || ' rows ' || md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))
			  FROM (SELECT ROW($columns) AS r FROM mlsync."$name" $condition) t});
	}
	return join("\n", @parts) . "\n";
}
my $before = contents(1);
is(sql(q{SELECT count(*) FROM mlsync.mls_connections WHERE photo_policy = 'metadata'}), '2',
	"both connections have the default photo_policy of $release");
like($before, qr/mls_listings: 4\d rows/, 'the listings are there');
like($before, qr/mls_events: [1-9]\d* rows/, 'and events');
like($before, qr/mls_credentials: 2 rows/, 'and two encrypted secrets');

# --- the new library before the update ------------------------------------
wait_for($node, q{SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'mlsync launcher')},
	'the launcher');
my $waits = qr/mlsync launcher waits: extension "mlsync" in database "old" is at version \Q$release\E, its library at \Q$fresh_version\E/;
my $log = '';
foreach (1 .. 60)
{
	$log = slurp_file($node->logfile);
	last if $log =~ $waits;
	sleep 1;
}
sleep 3;	# a few more rounds of the launcher
$log = slurp_file($node->logfile);
my @said = ($log =~ /$waits/g);
is(scalar @said, 1, 'the launcher says once that the extension is older than its library, and waits');
($ret, $out, $err) = $node->psql('old', q{SELECT mlsync.mls_sync('acme', 'k')});
like($err, qr/extension "mlsync" is at version \Q$release\E but its library is version \Q$fresh_version\E/,
	'mls_sync() refuses before the update');
like($err, qr/HINT:  Run ALTER EXTENSION mlsync UPDATE TO '\Q$fresh_version\E'/, 'and says what to run');
is(sql(q{SELECT count(*) FROM mlsync.mls_sync_queue}), '0', 'nothing was queued');

# a connection disabled at 0.1.0 with runs left queued (0.1.0 kept them, to
# run when the connection was enabled again), in a tenant of its own that is
# deleted before the rows are compared
sql(q{
	INSERT INTO mlsync.mls_tenants (tenant_id, name) VALUES ('off', 'Off');
	INSERT INTO mlsync.mls_connections (tenant_id, connection, protocol, endpoint, enabled, disabled_reason)
	VALUES ('off', 'gone', 'reso', 'https://reso.example.com/odata', false, 'disabled by hand');
	INSERT INTO mlsync.mls_sync_status (tenant_id, connection, consecutive_failures, next_attempt_at)
	VALUES ('off', 'gone', 2, now() + interval '5 minutes');
	INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode, trigger, not_before)
	VALUES ('off', 'gone', 'full', 'manual', now()),
		   ('off', 'gone', 'incremental', 'retry', now() + interval '5 minutes');
});

# --- the update -----------------------------------------------------------
# (what the update did to the runs queued on the disabled connection is read
# in its own transaction: the launcher, which cancels such runs too, cannot
# have acted on them yet)
is(sql(q{
	BEGIN;
	ALTER EXTENSION mlsync UPDATE;
	SELECT (SELECT string_agg(h.mode || ' ' || h.trigger || ' ' || h.state || ': ' || h.message, ', '
							  ORDER BY h.run_id)
			  FROM mlsync.mls_sync_history h WHERE h.tenant_id = 'off')
		   || '; queued ' || (SELECT count(*) FROM mlsync.mls_sync_queue WHERE tenant_id = 'off')
		   || '; next attempt ' || (SELECT coalesce(next_attempt_at::text, 'none')
									  FROM mlsync.mls_sync_status WHERE tenant_id = 'off');
	COMMIT;
}), 'full manual canceled: the connection was disabled, incremental retry canceled: the connection was disabled; queued 0; next attempt none',
	'the update cancels the runs left queued on a connection disabled at 0.1.0, and its retry');
sql(q{DELETE FROM mlsync.mls_tenants WHERE tenant_id = 'off'});
is(sql(q{SELECT extversion FROM pg_extension WHERE extname = 'mlsync'}), $fresh_version,
	"ALTER EXTENSION mlsync UPDATE brings it to $fresh_version");

my $upgraded = schema_facts('old');
my $fresh = schema_facts('postgres');
my @missing = grep { !exists $upgraded->{$_} } sort keys %$fresh;
my @extra = grep { !exists $fresh->{$_} } sort keys %$upgraded;
my @changed = grep { exists $upgraded->{$_} && $upgraded->{$_} ne $fresh->{$_} } sort keys %$fresh;
cmp_ok(scalar(keys %$fresh), '>', 300, 'a fresh install has its objects');
is(join("\n", @missing), '', 'the upgraded database lacks nothing a fresh install has');
is(join("\n", @extra), '', 'and has nothing a fresh install lacks');
is(join("\n", @changed), '', 'and defines everything the same way');
foreach my $object (@changed[0 .. ($#changed < 4 ? $#changed : 4)])
{
	diag("$object\n  upgraded: $upgraded->{$object}  fresh:    $fresh->{$object}");
}

is(contents(), $before, "every row $release wrote is there with the same values");
is(sql(q{SELECT string_agg(DISTINCT photo_policy, ',') FROM mlsync.mls_connections}), 'none',
	'photo_policy metadata, which read nothing, is none, which reads nothing either');
is(sql(q{SELECT string_agg(connection || ':' || (last_load_at IS NOT DISTINCT FROM last_success_at)
						   || ':' || (last_load_at IS NOT NULL), ',' ORDER BY connection)
		   FROM mlsync.mls_sync_status WHERE tenant_id = 'acme'}), 'bay:true:false,k:true:true',
	'a connection that holds listings after a success has had its first load; one never synced has not');

# --- the upgraded database works ------------------------------------------
is(sql(q{SELECT string_agg(kind || ':' || decryptable, ',' ORDER BY connection)
		   FROM (SELECT 'bay' AS connection, * FROM mlsync.mls_credentials_status('acme', 'bay')
				 UNION ALL SELECT 'k', * FROM mlsync.mls_credentials_status('acme', 'k')) s}),
	'password:true,client_secret:true', "the encrypted secrets of $release still decrypt");

my $last_event = sql(q{SELECT max(event_id) FROM mlsync.mls_events});
# (a watcher is alerted once per listing and kind: a listing not alerted yet)
sql(q{UPDATE mlsync.mls_listings SET list_price = list_price - 1000
	   WHERE listing_key = (SELECT min(l.listing_key) FROM mlsync.mls_listings l
							 WHERE l.removed_at IS NULL AND l.standard_status = 'Active'
							   AND NOT EXISTS (SELECT FROM mlsync.mls_alerts a
												WHERE a.listing_key = l.listing_key
												  AND a.kind = 'price_reduced'))});
is(sql(qq{SELECT string_agg(e.kind || ' to ' || coalesce(d.consumer, '-'), ',' ORDER BY e.event_id, d.consumer)
			FROM mlsync.mls_events e LEFT JOIN mlsync.mls_event_deliveries d USING (event_id)
		   WHERE e.event_id > $last_event}),
	'price_reduced to crm,price_reduced to social,alert to crm',
	'a price cut raises its event for both subscribers and the saved search\'s alert, numbered after the old ones');

# a sync through the launcher, against the sample server's truth
MlsTest::load_helpers($node, 'old');
sql(q{
	SELECT mls_test.reset('{"mls": "up", "listings": 25, "seed": 3}');
	UPDATE mlsync.mls_connections SET endpoint = mls_test.reso_root('up'), token_url = mls_test.token_url('up')
	 WHERE tenant_id = 'acme' AND connection = 'k';
	SELECT mlsync.mls_set_credentials('acme', 'k', client_secret => 's3cret');
});
my $run = sql(q{SELECT (mlsync.mls_sync('acme', 'k', mode => 'reconcile'))[1]});
is(sql(qq{SELECT mlsync.mls_sync_wait($run, '3 minutes')}), 'succeeded', 'the launcher runs a queued sync after the update');
is(sql(q{
	SELECT count(*) FILTER (WHERE l.listing_key IS NULL) || ' missing, ' ||
		   count(*) FILTER (WHERE l.list_price IS DISTINCT FROM (t ->> 'ListPrice')::numeric) || ' differ'
	  FROM mls_test.truth('up') t
	  LEFT JOIN mlsync.mls_listings l ON l.tenant_id = 'acme' AND l.connection = 'k'
		   AND l.listing_key = t ->> 'ListingKey' AND l.removed_at IS NULL}), '0 missing, 0 differ',
	'and the upgraded database holds the server\'s listings');
is(sql(q{SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = 'acme' AND connection = 'k'
		   AND removed_at IS NULL AND conflict IS NULL}),
	sql(q{SELECT count(*) FROM mls_test.truth('up')}), 'and no other');
is(sql(q{SELECT string_agg(conflict || ' ' || (local_overrides ->> 'public_remarks'), ',')
		   FROM mlsync.mls_listings WHERE tenant_id = 'acme' AND connection = 'k' AND conflict IS NOT NULL}),
	'removed_at_source mine', 'the listing with a local edit that the server no longer has is flagged, not removed');

$node->stop;
done_testing();
