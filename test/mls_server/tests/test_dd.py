"""Where the server's dictionary facts come from.

By default the server reads the repository's own sql/src/11_reso_dd_data.sql;
--reference-dir makes it read the RESO dictionary's fields.csv and lookups.csv
instead.  The CSVs stay outside the repository (MLSYNC_SHARED_DIR): the tests
that compare both sources are skipped, by name, when they are absent.
"""

import os
import subprocess
import sys
import unittest

from mlsserver import dd
from tests.support import NEEDS_REFERENCE, REFERENCE, REPO, ServerProcess

HAVE_CSV = os.path.isfile(os.path.join(REFERENCE, "fields.csv"))


def catalogue(catalog):
    """Everything a catalogue says about the served fields and their lookups."""
    fields = {(resource, name): (f.kind, f.length, f.scale, f.lookup)
              for resource in dd.RESOURCES for name, f in catalog.fields(resource).items()}
    lookups = {f.lookup for f in catalog.resources["Property"].values() if f.lookup}
    for resource in dd.RESOURCES:
        lookups.update(f.lookup for f in catalog.fields(resource).values() if f.lookup)
    values = {name: [(v, catalog.legacy(name, v)) for v in catalog.values(name)]
              for name in sorted(lookups)}
    return fields, values


class SqlSourceTest(unittest.TestCase):
    """The default source needs nothing outside the repository."""

    def test_default_source_is_the_repository_file(self):
        catalog = dd.Catalog()
        self.assertEqual(catalog.source, os.path.join(REPO, "sql", "src", "11_reso_dd_data.sql"))
        served = sum(len(names) for _key, names in dd.RESOURCES.values())
        self.assertEqual(sum(len(catalog.fields(r)) for r in dd.RESOURCES), served)

    def test_facts_read_from_the_sql_file(self):
        catalog = dd.Catalog()
        price = catalog.fields("Property")["ListPrice"]
        self.assertEqual((price.kind, price.scale), (dd.DECIMAL, 2))
        self.assertEqual(catalog.fields("Property")["Appliances"].kind, dd.LOOKUP_MULTI)
        self.assertEqual(catalog.fields("Property")["ModificationTimestamp"].kind, dd.TIMESTAMP)
        # the closed StandardStatus list, both spellings
        self.assertEqual(len(catalog.values("StandardStatus")), 11)
        self.assertEqual(catalog.legacy("StandardStatus", "Active Under Contract"), "ActiveUnderContract")
        self.assertEqual(catalog.display("StandardStatus", "ComingSoon"), "Coming Soon")
        # values in one order whatever the source
        for name in ("Appliances", "PropertySubType"):
            self.assertEqual(catalog.values(name), sorted(catalog.values(name)))

    def test_quotes_in_values_are_unescaped(self):
        facts = dd.read_sql_facts(dd.default_dd_sql())[1]
        quoted = [value for (_name, value) in facts if "'" in value]
        self.assertTrue(quoted, "the dictionary has values with an apostrophe")
        self.assertFalse([v for v in quoted if "''" in v])


@unittest.skipUnless(HAVE_CSV, NEEDS_REFERENCE)
class CsvSourceTest(unittest.TestCase):
    """The CSVs give the same catalogue, the same generated SQL, the same listings."""

    def test_same_catalogue_from_both_sources(self):
        self.assertEqual(catalogue(dd.Catalog(REFERENCE)), catalogue(dd.Catalog()))

    def test_repository_file_is_generated_from_the_csvs(self):
        generated = subprocess.run([sys.executable, os.path.join(REPO, "tools", "gen-reso-dd"), REFERENCE],
                                   check=True, capture_output=True).stdout
        with open(dd.default_dd_sql(), "rb") as fh:
            self.assertEqual(generated, fh.read(), "tools/gen-reso-dd would write another file")

    def test_same_listings_from_both_sources(self):
        servers = [ServerProcess(listings=300, seed=7).start(),
                   ServerProcess(listings=300, seed=7, extra=["--reference-dir", REFERENCE]).start()]
        try:
            truths = [s.truth_records("demo") for s in servers]
            self.assertEqual(len(truths[0]), 300)
            self.assertEqual(truths[0], truths[1])
            # the enumeration spelling and the metadata come from the lookups too
            pages = []
            for s in servers:
                s.reset("enum", listings=150, seed=8, lookup_spelling="enum")
                token = s.token("enum")
                reply = s.reso("enum", "Property", token, params={"$top": "200"})
                self.assertEqual(reply.status, 200)
                pages.append((reply.json()["value"], s.reso("enum", "$metadata", token).body))
            self.assertEqual(len(pages[0][0]), 150)
            self.assertEqual(pages[0], pages[1])
        finally:
            for s in servers:
                s.stop()


if __name__ == "__main__":
    unittest.main()
