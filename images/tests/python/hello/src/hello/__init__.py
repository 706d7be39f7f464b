import sys


def main():
    print("hello from a venv, python %d.%d" % sys.version_info[:2])
