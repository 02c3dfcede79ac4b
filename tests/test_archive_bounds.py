"""`flask import` reads no more than an archive of Trainer can hold: the ZIP bombs of the attack (a 2 GiB manifest
of spaces, a table file of one 2 GiB line) are refused with a clear message, quickly, under a memory limit far
below their size, before anything is written."""
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from trainer.tools.archive import LINE_MAX_BYTES, MANIFEST_MAX_BYTES

assert MANIFEST_MAX_BYTES == LINE_MAX_BYTES == 1_048_576  # the messages below name this number

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"
MEMORY_LIMIT = 768 << 20  # the CLI needs about 200 MiB; a 2 GiB read cannot fit
BOMB = 2 << 30
CHUNK = b" " * (64 << 20)


def flask(database: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a flask command on a SQLite database in a process limited to MEMORY_LIMIT of address space."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {key: value for key, value in os.environ.items() if not key.startswith(("TEST_", "PYTEST_"))}
    env.update(FLASK_APP="wsgi", DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="bounds", LANG="en")
    return subprocess.run([str(FLASK), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=limit_memory)


def write_spaces(archive: zipfile.ZipFile, name: str, prefix: bytes = b"") -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(prefix)
        for _ in range(BOMB // len(CHUNK)):
            member.write(CHUNK)


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory):
    """Return a migrated, empty SQLite database and the archive `flask export` makes of it."""
    folder = tmp_path_factory.mktemp("bounds")
    database = folder / "trainer.db"
    assert flask(database, "db", "upgrade").returncode == 0
    archive = folder / "empty.zip"
    result = flask(database, "export", str(archive))
    assert result.returncode == 0, result.stderr
    return database, archive


def assert_refused(result: subprocess.CompletedProcess, reason: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "is not a usable Trainer archive" in output and reason in output, output[-3000:]
    assert "Nothing was imported." in output
    assert "Traceback" not in output and "MemoryError" not in output


def test_a_manifest_of_two_gibibytes_of_spaces_is_refused(empty_database, tmp_path):
    database, _empty = empty_database
    bomb = tmp_path / "manifest-bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        write_spaces(archive, "manifest.json")
    assert bomb.stat().st_size < 16 << 20
    assert_refused(flask(database, "import", str(bomb)),
                   "manifest.json unpacks to more than 10,48,576 bytes (2,14,74,83,648)")  # Indian grouping


@pytest.mark.parametrize("declared_rows, reason", [
    (1, "unpacks to 2,14,74,83,649 bytes, more than its 1 rows can hold"),  # the sizes against the rows
    (5_000, "line 1 of tables/divisions.jsonl is longer than 10,48,576 bytes"),  # the line itself
])
def test_a_table_file_of_one_line_of_two_gibibytes_is_refused(empty_database, tmp_path, declared_rows, reason):
    database, empty = empty_database
    bomb = tmp_path / "line-bomb.zip"
    with zipfile.ZipFile(empty) as original:
        manifest = json.loads(original.read("manifest.json"))
        files = {name: original.read(name) for name in original.namelist() if name != "manifest.json"}
    entry = next(entry for entry in manifest["tables"] if entry["name"] == "divisions")
    entry["rows"] = declared_rows
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            if name == entry["file"]:
                write_spaces(archive, name, prefix=b"[")
            else:
                archive.writestr(name, data)
    assert_refused(flask(database, "import", str(bomb)), reason)
