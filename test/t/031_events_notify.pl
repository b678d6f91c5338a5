# NOTIFY: one notification on channel mlsync_events per committing
# transaction that inserted events, never one per row, with a small JSON
# payload (tenant, kinds and counts, id range); nothing for a rollback, for
# events of a rolled-back subtransaction, or for a transaction without events.
use strict;
use warnings;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('notify');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION mlsync;
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_create_tenant('zenith');
	SELECT mlsync.mls_connect('acme', 'bay', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
	SELECT mlsync.mls_connect('zenith', 'bay', protocol => 'reso', endpoint => 'https://reso.example.com/odata');
});

my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN mlsync_events');

# The notifications the listener has received since the last call: psql
# prints them when it next talks to the server.
sub received
{
	my $out = $listener->query_safe('SELECT 1');
	my @payloads;
	while ($out =~ /Asynchronous notification "mlsync_events" with payload "(.*)" received from server process with PID \d+\./g)
	{
		push @payloads, decode_json($1);
	}
	return \@payloads;
}

# The id range of the events of one tenant after a given id.
sub ids_after
{
	my ($after, $tenant) = @_;
	my ($min, $max) = split /\|/, $node->safe_psql('postgres',
		"SELECT min(event_id), max(event_id) FROM mlsync.mls_events WHERE event_id > $after AND tenant_id = '$tenant'");
	return ($min + 0, $max + 0);
}

sub last_id
{
	return $node->safe_psql('postgres', 'SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events') + 0;
}

# One transaction of several statements: one notification.
my $before = last_id();
$node->safe_psql('postgres', q{
	BEGIN;
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price)
	VALUES ('acme', 'bay', 'k1', 'Active', 500000), ('acme', 'bay', 'k2', 'Active', 400000),
		   ('acme', 'bay', 'k3', 'Active', 300000);
	UPDATE mlsync.mls_listings SET list_price = 450000 WHERE listing_key = 'k1';
	COMMIT;
});
my $got = received();
is(scalar @$got, 1, 'a transaction of two statements and four events sends one notification');
my ($first, $last) = ids_after($before, 'acme');
is_deeply($got->[0],
	{ tenant => 'acme', count => 4, kinds => { new_listing => 3, price_reduced => 1 },
	  first_id => $first, last_id => $last },
	'its payload has the tenant, the kinds and counts, and the id range');

# A rollback sends nothing; so does a transaction without events.
$node->safe_psql('postgres', q{
	BEGIN;
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status)
	VALUES ('acme', 'bay', 'gone', 'Active');
	ROLLBACK;
	UPDATE mlsync.mls_listings SET local_overrides = '{"note": "ours"}' WHERE listing_key = 'k2';
});
is_deeply(received(), [], 'nothing for a rollback or for a change that is no event');

# A rolled-back subtransaction takes its events out of the count; a released
# one keeps them.
$before = last_id();
$node->safe_psql('postgres', q{
	BEGIN;
	UPDATE mlsync.mls_listings SET standard_status = 'Pending' WHERE listing_key = 'k2';
	SAVEPOINT a;
	UPDATE mlsync.mls_listings SET list_price = 1 WHERE listing_key = 'k3';
	ROLLBACK TO SAVEPOINT a;
	SAVEPOINT b;
	UPDATE mlsync.mls_listings SET list_price = 290000 WHERE listing_key = 'k3';
	RELEASE SAVEPOINT b;
	COMMIT;
});
$got = received();
($first, $last) = ids_after($before, 'acme');
is_deeply($got,
	[ { tenant => 'acme', count => 3,
		kinds => { status_changed => 1, went_pending => 1, price_reduced => 1 },
		first_id => $first, last_id => $last } ],
	'subtransactions: the rolled-back one is not counted, the released one is');
is($node->safe_psql('postgres', "SELECT count(*) FROM mlsync.mls_events WHERE event_id > $before"),
	'3', 'and the count is the number of events that exist');

# Two tenants in one transaction: still one notification.
$before = last_id();
$node->safe_psql('postgres', q{
	BEGIN;
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status)
	VALUES ('zenith', 'bay', 'z1', 'Active');
	SELECT mlsync.mls_emit_event('acme', 'connection_disabled', 'bay');
	COMMIT;
});
$got = received();
($first, $last) = split /\|/, $node->safe_psql('postgres',
	"SELECT min(event_id), max(event_id) FROM mlsync.mls_events WHERE event_id > $before");
is(scalar @$got, 1, 'a transaction touching two tenants sends one notification');
is_deeply($got->[0],
	{ tenant => undef, tenants => [ 'acme', 'zenith' ], count => 2,
	  kinds => { new_listing => 1, connection_disabled => 1 },
	  first_id => $first, last_id => $last },
	'with tenant null and the list of tenants');

# A sync batch: 1,000 listings in one statement, one notification.
$before = last_id();
$node->safe_psql('postgres', q{
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price)
	SELECT 'acme', 'bay', 'b' || i, 'Active', 100000 + i FROM generate_series(1, 1000) i;
});
$got = received();
is(scalar @$got, 1, 'a statement writing 1,000 listings sends one notification');
is($got->[0]{count}, 1000, 'counting 1,000 events');
cmp_ok(length(encode_json($got->[0])), '<', 200, 'in a payload of under 200 bytes');

# Alerts produced by a statement are announced with it.
$node->safe_psql('postgres', q{
	INSERT INTO mlsync.mls_watchlist (tenant_id, watcher, connection, listing_key) VALUES ('acme', 'w1', 'bay', 'b1');
	UPDATE mlsync.mls_listings SET list_price = 1000 WHERE listing_key = 'b1';
});
is_deeply([ map { $_->{kinds} } @{ received() } ], [ { price_reduced => 1, alert => 1 } ],
	'a price cut of a watched listing: one notification with the event and its alert');

# Many tenants or many kinds would make a payload too long for NOTIFY: the
# tenant list, then the kinds, are left out; the outbox has them.
$node->safe_psql('postgres', q{
	SELECT mlsync.mls_create_tenant('tenant-with-a-rather-long-name-number-' || i) FROM generate_series(1, 200) i;
});
$node->safe_psql('postgres', q{
	SELECT mlsync.mls_emit_event('tenant-with-a-rather-long-name-number-' || i, 'kind_' || i) FROM generate_series(1, 200) i;
});
$got = received();
is(scalar @$got, 1, 'two hundred tenants: one notification');
is_deeply([ $got->[0]{tenant}, $got->[0]{count}, $got->[0]{truncated}, exists $got->[0]{tenants},
			scalar keys %{ $got->[0]{kinds} } ],
	[ undef, 200, JSON::PP::true, '', 200 ],
	'its payload leaves the tenant list out, keeps the kinds, and says it was truncated');
$node->safe_psql('postgres', q{
	SELECT mlsync.mls_emit_event('acme', 'a_rather_long_kind_name_number_' || i) FROM generate_series(1, 400) i;
});
$got = received();
is_deeply([ $got->[0]{tenant}, $got->[0]{count}, $got->[0]{truncated}, exists $got->[0]{kinds},
			$got->[0]{last_id} - $got->[0]{first_id} ],
	[ 'acme', 400, JSON::PP::true, '', 399 ],
	'four hundred kinds: the kinds are left out, the count and id range stay');

# mlsync.listing_events = off (a restore): nothing is announced.
$node->safe_psql('postgres', q{
	SET mlsync.listing_events = off;
	SELECT mlsync.mls_emit_event('acme', 'restored_event');
});
is_deeply(received(), [], 'nothing is announced while loading with mlsync.listing_events = off');

$listener->quit;
$node->stop;
done_testing();
