# An event consumer as a plain login role holding consume on one tenant:
# it subscribes, LISTENs, is woken by the NOTIFY of a sync that raised its
# tenant's events, claims exactly those (none of the other tenant's, which
# synced the same MLS), acknowledges them and finds nothing left.  LISTEN
# itself has no privileges in PostgreSQL: the other tenant's notification
# reaches the listener too (tenant name and counts only), as docs/tenancy.md
# says.
use strict;
use warnings;
use lib 'test/perl';
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use MlsTest;

my $server = start_mls_server();
my $node = new_mlsync_node('tenancy_listen');

$node->safe_psql('postgres', q{
	SELECT mls_test.reset('{"mls": "l60", "listings": 30, "seed": 60}');
	SELECT mlsync.mls_create_tenant(t) FROM unnest(ARRAY['acme', 'zenith']) t;
	SELECT mlsync.mls_connect(t, 'feed', protocol => 'reso', endpoint => mls_test.reso_root('l60'),
							  token_url => mls_test.token_url('l60'), username => 'mlsync')
	  FROM unnest(ARRAY['acme', 'zenith']) t;
	SELECT mlsync.mls_set_credentials(t, 'feed', client_secret => 's3cret')
	  FROM unnest(ARRAY['acme', 'zenith']) t;
	SELECT mlsync.mls_sync(t, 'feed', mode => 'full', wait => true) FROM unnest(ARRAY['acme', 'zenith']) t;
	CREATE ROLE acme_consumer LOGIN;
	SELECT mlsync.mls_grant_tenant('acme', 'acme_consumer', 'consume');
});

# the consumer's session
my $consumer = $node->background_psql('postgres', extra_params => [ '-U', 'acme_consumer' ]);
is($consumer->query_safe('SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user'),
	'acme_consumer|f', 'the consumer is a plain login role');
is($consumer->query_safe(
		q{SELECT consumer || '@' || tenant FROM mlsync.mls_subscribe('bell', '{new_listing}', tenant => 'acme')}),
	'bell@acme', 'it subscribes to the new listings of acme');
$consumer->query_safe('LISTEN mlsync_events');

# The notifications the consumer has received since the last call: psql
# prints them when it next talks to the server.
sub received
{
	my $out = $consumer->query_safe('SELECT 1');
	my @payloads;
	while ($out =~ /Asynchronous notification "mlsync_events" with payload "(.*)" received from server process with PID \d+\./g)
	{
		push @payloads, decode_json($1);
	}
	return \@payloads;
}

# the market moves; both tenants sync it, each in its own transaction
my $new = $node->safe_psql('postgres', q{
	SELECT jsonb_array_length(mls_test.advance('{"mls": "l60", "seed": 2, "new": 7}') -> 'changed' -> 'new')});
is($new, '7', 'the sample MLS lists 7 new listings');
$node->safe_psql('postgres', q{SELECT mlsync.mls_sync('acme', 'feed', wait => true)});
$node->safe_psql('postgres', q{SELECT mlsync.mls_sync('zenith', 'feed', wait => true)});

my %by_tenant = map { ($_->{tenant} // '') => $_ } @{ received() };
is($by_tenant{acme}{kinds}{new_listing}, 7, 'the consumer is woken for acme\'s 7 new listings');
ok(exists $by_tenant{zenith},
	'zenith\'s notification reaches it too: LISTEN has no privileges (documented)');

is($consumer->query_safe(q{
		SELECT count(*) || ' ' || string_agg(DISTINCT tenant_id || ':' || kind, ',')
		  FROM mlsync.mls_events_claim('bell', 1000)}),
	'7 acme:new_listing', 'it claims acme\'s 7 new listings, and nothing of zenith');
is($consumer->query_safe(q{
		SELECT mlsync.mls_events_ack('bell', array_agg(event_id))
		  FROM mlsync.mls_events WHERE kind = 'new_listing'}),
	'7', 'it acknowledges them');
is($consumer->query_safe(q{SELECT count(*) FROM mlsync.mls_events_claim('bell', 1000)}),
	'0', 'and finds nothing left to claim');
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM mlsync.mls_events WHERE tenant_id = 'zenith' AND kind = 'new_listing'}),
	'7', 'zenith has its own 7 new-listing events, which the consumer never saw');

$consumer->quit;
$node->stop;
done_testing();
