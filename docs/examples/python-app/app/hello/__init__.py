"""A tiny application: counts its runs in its state directory and says where it runs."""
import os
import pathlib
import ssl
import sys

STATE = pathlib.Path("/var/lib/app/runs")


def main() -> None:
    runs = int(STATE.read_text()) + 1 if STATE.exists() else 1
    STATE.write_text(str(runs))
    certs = ssl.create_default_context().cert_store_stats()["x509_ca"]
    print(f"hello from {sys.prefix} as uid {os.getuid()}, run {runs}, {certs} CA certificates")
