"""Run a command with DATABASE_URL pointing at a PostgreSQL server (for ``make test-postgres``).

Order: ``$DATABASE_URL`` if it names PostgreSQL; else the server on 127.0.0.1:5432 if it answers
(trust auth, user ``postgres``); else a throw-away server started from Debian's ``postgresql``
package (initdb in a temporary directory, a free loopback port, removed afterwards).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def can_login(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except Exception as exc:  # any failure means: not usable
        print(f"with_postgres: {url} not usable: {exc}", file=sys.stderr)
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def throwaway(cmd: list[str]) -> int:
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        print(
            "with_postgres: no server answers and Debian's postgresql package is not installed "
            "(apt-get install postgresql)",
            file=sys.stderr,
        )
        return 2
    bindir = os.path.dirname(initdbs[-1])
    tmp = tempfile.mkdtemp(prefix="jangkau-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(tmp, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = os.path.join(tmp, "data")
    try:
        subprocess.run(
            [*prefix, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                *prefix,
                f"{bindir}/pg_ctl",
                "-D",
                data,
                "-w",
                "-l",
                f"{tmp}/log",
                "-o",
                f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = dict(os.environ, DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/postgres")
        return subprocess.call(cmd, env=env)
    finally:
        subprocess.run(
            [*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.2)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    cmd = sys.argv[1:]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return subprocess.call(cmd)
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    if answers("127.0.0.1", 5432) and can_login(local):
        return subprocess.call(cmd, env=dict(os.environ, DATABASE_URL=local))
    return throwaway(cmd)


if __name__ == "__main__":
    sys.exit(main())
