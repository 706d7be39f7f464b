# Runs on the runtime image without network: TLS context from the system CA bundle, sqlite, zlib, timezones.
import os, sqlite3, ssl, sys, zlib, zoneinfo
import datetime

cas = len(ssl.create_default_context().get_ca_certs())
assert cas > 100, f"only {cas} CA certificates in the default TLS context"
db = sqlite3.connect(":memory:")
assert db.execute("select sqlite_version()").fetchone()[0].startswith("3.")
assert zlib.decompress(zlib.compress(b"kolibri" * 100)) == b"kolibri" * 100
zurich = datetime.datetime(2025, 7, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
assert zurich.utcoffset() == datetime.timedelta(hours=2), zurich.utcoffset()
print("python ok", os.getuid(), "%d.%d" % sys.version_info[:2])
