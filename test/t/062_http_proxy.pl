# Proxies: mlsync.http_proxy, and none from the server's environment.
# libcurl takes a proxy from http_proxy, https_proxy and ALL_PROXY, and the
# network guard would then judge the proxy's address, never the host's:
# whatever the proxy reaches, a connection's URL reaches.  mlsync uses only
# the proxy the superuser names, and judges each URL's host by what it says
# before anything goes to the proxy (a proxy resolves names itself).  The
# sample server's listener, which records every request, plays the proxy.
use strict;
use warnings;
use lib 'test/perl';
use MlsTest;
use PostgreSQL::Test::Utils;
use Test::More;

my $server = start_mls_server();
my $node = new_mlsync_node('proxy');

sub sql { return $node->safe_psql('postgres', $_[0]); }

my $listener = sql(q{SELECT mls_test.control('GET', '/control/health') ->> 'listener'});
my $port = ($ENV{MLS_SERVER_URL} =~ /:(\d+)$/)[0];

# The request targets that reached the listener since it was last cleared.
sub proxied
{
	my $targets = sql(q{
		SELECT coalesce(string_agg(r ->> 'target', ' ' ORDER BY (r ->> 'seq')::int), '')
		  FROM jsonb_array_elements(mls_test.control('GET', '/control/listener') -> 'records') r});
	sql(q{SELECT mls_test.control('DELETE', '/control/listener')});
	return $targets;
}

# Sync a connection and wait; its error, '' when it succeeded.
sub sync_error
{
	my ($connection) = @_;
	my ($stdout, $stderr);
	$node->psql('postgres', "SELECT mlsync.mls_sync('acme', '$connection', wait => true)",
		stdout => \$stdout, stderr => \$stderr);
	return $stderr;
}

sub set_and_reload
{
	my ($setting, $value) = @_;
	sql("ALTER SYSTEM SET $setting = '$value'");
	sql('SELECT pg_reload_conf()');
	# a new session sees the file's value once the postmaster has read it
	wait_for($node, "SELECT current_setting('$setting') = '$value'", "$setting to be $value");
	return;
}

# 1. A proxy in the server's environment is not used: the sync goes
# straight to the MLS, and the listener named by all three variables sees
# nothing.
$node->stop;
{
	local $ENV{http_proxy} = $listener;
	local $ENV{https_proxy} = $listener;
	local $ENV{ALL_PROXY} = $listener;
	local $ENV{no_proxy};
	local $ENV{NO_PROXY};
	$node->start;
}
connect_sample_reso($node, 'acme', 'px', '{"listings": 30, "seed": 62}', 50);
proxied();
is(sync_error('px'), '', 'with proxies in the environment the sync succeeds');
is(sql(q{SELECT count(*) FROM mlsync.mls_listings WHERE connection = 'px'}), '30',
	'every listing arrived');
is(proxied(), '', 'and no request went to the environment\'s proxy');

# 2. mlsync.http_proxy: every request goes through the proxy named (the
# listener, which answers the token request with no token: the run fails).
my ($out, $err);
$node->psql('postgres', "SET mlsync.http_proxy = 'proxy.example.com:3128'",
	stdout => \$out, stderr => \$err);
like($err, qr/A proxy is a URL of scheme http, https, socks4a or socks5h/,
	'a proxy without a scheme is refused');
$node->psql('postgres', "SET mlsync.http_proxy = 'socks5://proxy.example.com:1080'",
	stdout => \$out, stderr => \$err);
like($err, qr/which leave names to the proxy/,
	'and so is a SOCKS proxy to which libcurl would hand addresses it resolved itself');
set_and_reload('mlsync.http_proxy', $listener);
isnt(sync_error('px'), '', 'through a proxy that is no proxy the sync fails');
like(proxied(), qr{^http://127\.0\.0\.1:$port/px/reso/oauth/token$},
	'its token request went to the proxy, for the MLS\'s URL');

# A name goes to the proxy as it is: the proxy resolves it.
sql(qq{SELECT mlsync.mls_connect('acme', 'named', protocol => 'reso',
	endpoint => 'http://mls.example.com/odata/', token_url => 'http://mls.example.com/token',
	username => 'u');
	SELECT mlsync.mls_set_credentials('acme', 'named', client_secret => 's');});
sync_error('named');
is(proxied(), 'http://mls.example.com/token', 'a host name is the proxy\'s to resolve');

# 3. Through the proxy the guard judges each host by what it says: an
# address in mlsync.denied_networks, in any form, or a name under
# localhost, is refused before anything is sent to the proxy.
set_and_reload('mlsync.allowed_hosts', '');
my @denied = (
	[ 'loop', "http://127.0.0.1:$port", '127.0.0.1' ],
	[ 'private', 'http://10.9.8.7', '10.9.8.7' ],
	[ 'decimal', 'http://167772161', '10.0.0.1' ],
	[ 'local', "http://app.localhost.:$port", '127.0.0.1' ],
	[ 'mapped', 'http://[::ffff:192.168.1.1]', '192.168.1.1' ]);
foreach my $case (@denied)
{
	my ($name, $base, $address) = @$case;
	sql(qq{SELECT mlsync.mls_connect('acme', '$name', protocol => 'reso',
		endpoint => '$base/odata/', token_url => '$base/token', username => 'u');
		SELECT mlsync.mls_set_credentials('acme', '$name', client_secret => 's');});
	like(sync_error($name),
		qr/request refused: address \Q$address\E is in mlsync.denied_networks and not in mlsync.allowed_hosts/,
		"$base is refused as $address");
	is(proxied(), '', "and nothing of it reached the proxy");
}

# The proxy itself may be anywhere the superuser puts it: with loopback
# denied, a name still goes through the proxy on loopback.
sync_error('named');
is(proxied(), 'http://mls.example.com/token', 'the proxy on a denied network is still used');

done_testing();
