# The address normaliser (src/match/address.c, pure C) under fuzzing, outside
# the server: the harness fuzz/address/address_fuzz.c with its random and
# mutating driver (fuzz/address/driver.c), built with AddressSanitizer and
# UndefinedBehaviorSanitizer.  Every input is parsed as free text and as
# RESO fields; the harness aborts on an out-of-bounds access, on a result
# that overflows its buffer, or when normalising the normalised address
# changes it (idempotence), and so for parcels, counties, states and UPIs.
# With clang's libFuzzer at hand, a short coverage-guided run follows.
use strict;
use warnings;
use PostgreSQL::Test::Utils;
use Test::More;

my $tmp = PostgreSQL::Test::Utils::tempdir;
my @sources = ('src/match/address.c', 'fuzz/address/address_fuzz.c');
my $cc = (system('clang --version >/dev/null 2>&1') == 0) ? 'clang' : 'cc';
my @sanitize = ('-fsanitize=address,undefined', '-fno-sanitize-recover=all');

# Build with the sanitizers when the compiler has them, else plain.
my $driver = "$tmp/address_fuzz";
my @build = ($cc, '-g', '-O1', '-Isrc', @sources, 'fuzz/address/driver.c', '-o', $driver);
my $sanitized = system(@build[0 .. 2], @sanitize, @build[3 .. $#build]) == 0;
ok($sanitized || system(@build) == 0, "the fuzz driver builds with $cc"
	. ($sanitized ? ' and the sanitizers' : ''));

# Three seeds, 100,000 generated inputs each (assembled, mutated, random).
for my $seed (1, 2, 3)
{
	my ($stdout, $stderr) = run_command([ $driver, '100000', $seed ]);
	like($stdout, qr/^address fuzz: 100000 generated inputs, no crash, idempotent$/m,
		"seed $seed: no crash, idempotent");
	is($stderr, '', "seed $seed: no sanitizer report");
}

# Inputs saved as files are replayed (how a libFuzzer crash is reproduced).
my $input = "$tmp/input";
open(my $fh, '>', $input) or die "$input: $!";
print $fh "123 N. Main St., Apt. 4, Austin, TX 78701\x1f123\x1fN\x1fMain\x1fSt\x1f\x1f4\x1f78701";
close($fh);
my ($replayed) = run_command([ $driver, $input ]);
like($replayed, qr/^address fuzz: 1 files, no failure$/m, 'a saved input replays');

# A coverage-guided run when clang has libFuzzer.
my $libfuzzer = "$tmp/address_libfuzzer";
if (system('clang', '-g', '-O1', '-fsanitize=fuzzer,address,undefined', '-fno-sanitize-recover=all',
		'-Isrc', @sources, '-o', $libfuzzer) == 0)
{
	mkdir "$tmp/corpus";
	my ($stdout, $stderr) = run_command([ $libfuzzer, '-runs=100000', '-seed=1', '-max_len=400',
		"$tmp/corpus" ]);
	like($stderr, qr/Done 100000 runs/, 'libFuzzer: 100,000 runs without a failure');
}
else
{
	note('clang with libFuzzer is not available: the coverage-guided run is skipped');
}

done_testing();
