# At-least-once delivery under concurrency: several writers commit out of
# event id order while two workers of one consumer claim and acknowledge in a
# loop; every event is delivered (an id cursor would skip the ones committed
# late, and one producer is made to commit late on purpose).  Claims never
# wait for each other.  Concurrent runs of mls_detect_time_events raise each
# event once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('delivery');
$node->init;
$node->append_conf('postgresql.conf', "max_connections = 50\ntimezone = 'UTC'");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION mlsync;
	SELECT mlsync.mls_create_tenant('acme');
	SELECT mlsync.mls_connect('acme', 'bay', protocol => 'reso', endpoint => 'https://reso.example.com/odata');

	-- what the consumer workers received, claim by claim (claims numbered in
	-- the order they were made, across workers)
	CREATE TABLE got (round int, worker int, claim bigint, event_id bigint);
	CREATE SEQUENCE claim_seq;
	CREATE TABLE done (round int);

	-- A consumer worker: claim, record, acknowledge, commit, until the round
	-- is over (all writers committed before done was set) and a claim made
	-- after seeing that comes back empty.
	CREATE PROCEDURE consume(r int, w int) LANGUAGE plpgsql AS $$
	DECLARE
		ids bigint[];
		over boolean;
		n bigint;
	BEGIN
		LOOP
			over := EXISTS (SELECT FROM done WHERE round = r);
			SELECT array_agg(event_id) INTO ids FROM mlsync.mls_events_claim('crm', 25, '5 minutes');
			IF ids IS NULL THEN
				EXIT WHEN over;
				PERFORM pg_sleep(0.005);
			ELSE
				n := nextval('claim_seq');
				INSERT INTO got SELECT r, w, n, unnest(ids);
				PERFORM mlsync.mls_events_ack('crm', ids);
			END IF;
			COMMIT;
		END LOOP;
	END $$;
	SELECT mlsync.mls_subscribe('crm', NULL, 'acme');
});

for my $round (1 .. 3)
{
	my $base = $node->safe_psql('postgres', 'SELECT coalesce(max(event_id), 0) FROM mlsync.mls_events');

	# A producer that takes an event id now and commits only after the
	# consumers have acknowledged events with higher ids.
	my $slow = $node->background_psql('postgres');
	$slow->query_safe('BEGIN');
	my $slow_id = $slow->query_safe(q{SELECT mlsync.mls_emit_event('acme', 'slow_event')});

	my @workers;
	for my $w (1 .. 2)
	{
		my $c = $node->background_psql('postgres');
		$c->query_until(qr/consuming/, "\\echo consuming\nCALL consume($round, $w);\n");
		push @workers, $c;
	}

	# Four writers, each transaction an upsert and a status change of one of
	# its listings with a random pause between them, so commits interleave.
	$node->pgbench(
		'--no-vacuum --client=4 --jobs=2 --transactions=100',
		0, [qr{processed: 400/400}], [qr{^$}],
		"round $round: the writers commit 400 transactions",
		{
			"writer_$round.sql" => qq{
\\set k random(1, 60)
\\set p random(100000, 900000)
BEGIN;
INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, list_price)
VALUES ('acme', 'bay', 'r$round-' || :client_id || '-' || :k, 'Active', :p)
ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET list_price = excluded.list_price;
SELECT pg_sleep(random() * 0.004);
UPDATE mlsync.mls_listings
   SET standard_status = CASE standard_status WHEN 'Active' THEN 'Pending' ELSE 'Active' END
 WHERE tenant_id = 'acme' AND connection = 'bay' AND listing_key = 'r$round-' || :client_id || '-' || :k;
COMMIT;
}
		});

	ok( $node->poll_query_until('postgres',
			"SELECT EXISTS (SELECT FROM got WHERE round = $round AND event_id > $slow_id)"),
		"round $round: events with ids above the slow producer's were delivered first");
	$slow->query_safe('COMMIT');
	$slow->quit;
	$node->safe_psql('postgres', "INSERT INTO done VALUES ($round)");
	ok( $node->poll_query_until('postgres',
			"SELECT count(*) = 0 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'CALL consume($round,%'"),
		"round $round: the consumer workers finished");
	$_->quit for @workers;

	is($node->safe_psql('postgres', qq{
		SELECT count(*) FROM mlsync.mls_events e
		 WHERE e.event_id > $base
		   AND NOT EXISTS (SELECT FROM got g WHERE g.round = $round AND g.event_id = e.event_id)}),
		'0', "round $round: every event was delivered");
	cmp_ok($node->safe_psql('postgres', "SELECT count(*) FROM got WHERE round = $round"),
		'>=', 1200, "round $round: the writers produced at least 1,200 events");
	is($node->safe_psql('postgres', qq{
		SELECT count(*) FROM (SELECT event_id FROM got WHERE round = $round
							   GROUP BY event_id HAVING count(*) > 1) d}),
		'0', "round $round: no event was claimed by both workers");
	is($node->safe_psql('postgres', qq{
		SELECT EXISTS (SELECT FROM got s JOIN got h ON h.round = s.round
						WHERE s.round = $round AND s.event_id = $slow_id
						  AND h.claim < s.claim AND h.event_id > s.event_id)}),
		't', "round $round: the slow producer's event came after higher ids, and was delivered");
	is($node->safe_psql('postgres', qq{
		SELECT count(DISTINCT worker) FROM got WHERE round = $round}),
		'2', "round $round: both workers claimed events");
	is($node->safe_psql('postgres', "SELECT count(*) FROM mlsync.mls_event_deliveries"),
		'0', "round $round: nothing is left to deliver");
}

# A claim never waits: rows another session is claiming are skipped, and
# other consumers are not affected.
$node->safe_psql('postgres', q{
	SELECT mlsync.mls_subscribe('other', NULL, 'acme');
	SELECT mlsync.mls_emit_event('acme', 'test_event') FROM generate_series(1, 20);
});
my $holder = $node->background_psql('postgres');
$holder->query_safe('BEGIN');
is($holder->query_safe(q{SELECT count(*) FROM mlsync.mls_events_claim('crm', 5)}),
	'5', 'a session claims five events and keeps its transaction open');
is($node->safe_psql('postgres', q{
	SET statement_timeout = '5s';
	SELECT count(*) FROM mlsync.mls_events_claim('crm', 100)}),
	'15', 'another worker of the consumer gets the other fifteen at once');
is($node->safe_psql('postgres', q{
	SET statement_timeout = '5s';
	SELECT count(*) FROM mlsync.mls_events_claim('other', 100)}),
	'20', 'another consumer gets all twenty at once');
$holder->query_safe('ROLLBACK');
$holder->quit;
is($node->safe_psql('postgres', q{SELECT count(*) FROM mlsync.mls_events_claim('crm', 100)}),
	'5', 'the rolled-back claim left its five events claimable');

# Time-based events: two concurrent runs raise each event once.
$node->safe_psql('postgres', q{
	INSERT INTO mlsync.mls_listings (tenant_id, connection, listing_key, standard_status, on_market_date)
	SELECT 'acme', 'bay', 't' || i, 'Active', date '2024-01-01' - i FROM generate_series(1, 50) i;
});
my $first = $node->background_psql('postgres');
$first->query_safe('BEGIN');
is($first->query_safe(q{SELECT mlsync.mls_detect_time_events(NULL, '2024-02-15')}),
	'50', 'a run raises fifty milestones and has not committed yet');
my $second = $node->background_psql('postgres');
$second->query_until(qr/detecting/,
	"\\echo detecting\nSELECT 'second run: ' || mlsync.mls_detect_time_events(NULL, '2024-02-15');\n");
ok( $node->poll_query_until('postgres', q{
		SELECT EXISTS (SELECT FROM pg_stat_activity
						WHERE query LIKE 'SELECT ''second run%' AND wait_event_type = 'Lock')}),
	'a concurrent run waits on the first one\'s marks');
$first->query_safe('COMMIT');
$first->quit;
like($second->query_until(qr/second run: \d+/, ''), qr/second run: 0/,
	'and raises nothing once the first commits');
$second->quit;
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM mlsync.mls_events WHERE kind = 'dom_milestone'}),
	'50', 'each milestone was raised once');

$node->stop;
done_testing();
