"""`flask export` and `flask import`: the whole database as one portable archive.

An archive is a ZIP file holding `manifest.json` and one JSON Lines file per table, `tables/<name>.jsonl`:
one row per line, a JSON array of the row's values in the order of the manifest's columns, ordered by
primary key. The manifest gives the format version, the Alembic revision of the database, when and from
which kind of database the archive was made, and the tables in dependency order with their columns, row
counts and SHA-256 sums.

Values are written so that they come back the same on SQLite and on PostgreSQL: datetimes with a time
zone as ISO 8601 in UTC (`2026-07-21T05:30:00.123456+00:00`), naive ones, dates and times as ISO 8601,
enumerations by their stored value, booleans as `true`/`false`, integers of any size as JSON numbers,
decimals as strings, binary data in base64, JSON columns as the JSON value itself (in a nullable JSON
column, `null` means SQL NULL), text as UTF-8 (Hindi stays readable).

Export reads one consistent snapshot: a REPEATABLE READ, read-only transaction on PostgreSQL, one read
transaction on SQLite (where writers wait until the export ends). Import goes into a migrated database at
the same Alembic revision, in one transaction that is applied whole or not at all.
"""
import base64
import hashlib
import json
import os
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from alembic.runtime.migration import MigrationContext
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    Uuid,
    func,
    inspect,
    null,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.types import TypeDecorator

from trainer.core.i18n import format_number
from trainer.extensions import db

FORMAT = "trainer-archive"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 5_000  # rows read, encoded and inserted at a time: memory stays flat however big a table is
# What an import reads at most, whatever the archive claims: a manifest is a few kilobytes, and the longest row
# (a feedback answer, a programme's description, a few thousand characters) well under a mebibyte.
MANIFEST_MAX_BYTES = 1 << 20
LINE_MAX_BYTES = 1 << 20
ALEMBIC_TABLE = "alembic_version"

Progress = Callable[[str, int, float], None]  # (table, rows, seconds)


class ArchiveError(Exception):
    """An archive that cannot be written or read, or a database it cannot go into; the message says why."""


# Values


@dataclass(frozen=True)
class Codec:
    """How one column's values are written into an archive and read back."""

    name: str
    encode: Callable[[Any], Any]  # database value (never None) -> JSON value
    decode: Callable[[Any], Any]  # JSON value (never None) -> value to bind; raises ValueError or TypeError
    plain: bool = False  # the database already hands back the JSON value: no need to call encode
    kinds: tuple[type, ...] | None = None  # when set, decoding is only checking that a value is of these types


def _identity(value):
    return value


def _checked(kinds: type | tuple[type, ...], convert: Callable = _identity) -> Callable:
    """Return a decoder that accepts JSON values of the given Python types only (a boolean is no number)."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)

    def decode(value):
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise TypeError(f"{type(value).__name__} found, {' or '.join(k.__name__ for k in kinds)} expected")
        return convert(value)
    return decode


def _utc_iso(value: datetime) -> str:
    # SQLite keeps no offset: its values of a timezone-aware column are UTC wall times.
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment.astimezone(UTC)


def _naive(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError(f"{value!r} has an offset in a column without time zone")
    return moment


def _base64(value: str) -> bytes:
    return base64.b64decode(value.encode("ascii"), validate=True)


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None


CODECS = {
    "enum": Codec("enum", str, _checked(str), plain=True, kinds=(str,)),
    "boolean": Codec("boolean", bool, _checked(bool), plain=True, kinds=(bool,)),
    "integer": Codec("integer", int, _checked(int), plain=True, kinds=(int,)),
    "float": Codec("float", float, _checked((int, float), float)),
    "decimal": Codec("decimal", str, _checked(str, _decimal)),
    "datetime": Codec("datetime", _utc_iso, _checked(str, _aware)),
    "naive_datetime": Codec("naive_datetime", datetime.isoformat, _checked(str, _naive)),
    "date": Codec("date", date.isoformat, _checked(str, date.fromisoformat)),
    "time": Codec("time", clock_time.isoformat, _checked(str, clock_time.fromisoformat)),
    "interval": Codec("interval", lambda value: value // timedelta(microseconds=1),
                      _checked(int, lambda value: timedelta(microseconds=value))),
    "binary": Codec("binary", lambda value: base64.b64encode(bytes(value)).decode("ascii"), _checked(str, _base64)),
    "json": Codec("json", _identity, _identity, plain=True),
    "uuid": Codec("uuid", str, _checked(str, uuid.UUID)),
    "string": Codec("string", str, _checked(str), plain=True, kinds=(str,)),
}


def codec_of(column) -> Codec:
    """Return the codec of a column by its type, or raise ArchiveError for a type an archive cannot carry."""
    checks: list[tuple[type, str]] = [
        (Enum, "enum"), (Boolean, "boolean"), (Integer, "integer"), (Float, "float"), (Numeric, "decimal"),
        (Date, "date"), (Time, "time"), (Interval, "interval"), (LargeBinary, "binary"), (JSON, "json"),
        (Uuid, "uuid"), (String, "string"),
    ]
    kind = column.type
    while True:
        if isinstance(kind, DateTime):
            return CODECS["datetime" if kind.timezone else "naive_datetime"]
        for kind_class, name in checks:
            if isinstance(kind, kind_class):
                return CODECS[name]
        if not isinstance(kind, TypeDecorator):
            break
        kind = kind.impl_instance  # a type of the application's own (UtcDateTime): judged by what it stores
    raise ArchiveError(_("The column %(column)s has a type (%(type)s) that an archive cannot carry.",
                         column=f"{column.table.name}.{column.name}", type=column.type))


def _read_expression(column):
    # Enumerations are read as stored, so an archive never depends on how the Python enum names its members.
    if isinstance(column.type, Enum):
        return type_coerce(column, String()).label(column.name)
    return column


# The database


def _revision(connection: Connection) -> str | None:
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        raise ArchiveError(_("The database has several Alembic revisions (%(revisions)s); run flask db upgrade.",
                             revisions=", ".join(heads)))
    return heads[0] if heads else None


def _check_schema(connection: Connection, tables: list[Table]) -> None:
    """Refuse a database whose tables or columns differ from the models', so that nothing is left out."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names()) - {ALEMBIC_TABLE}
    known = {table.name: table for table in tables}
    unknown = sorted(present - set(known))
    if unknown:
        raise ArchiveError(_("The database has tables that Trainer does not know: %(tables)s. Is Trainer older "
                             "than the database?", tables=", ".join(unknown)))
    missing = sorted(set(known) - present)
    if missing:
        raise ArchiveError(_("The database lacks the tables %(tables)s: run flask db upgrade.",
                             tables=", ".join(missing)))
    for name, table in known.items():
        columns = {column["name"] for column in inspector.get_columns(name)}
        extra = sorted(columns - set(table.c.keys()))
        if extra:
            raise ArchiveError(_("The table %(table)s has columns that Trainer does not know: %(columns)s.",
                                 table=name, columns=", ".join(extra)))
        absent = sorted(set(table.c.keys()) - columns)
        if absent:
            raise ArchiveError(_("The table %(table)s lacks the columns %(columns)s: run flask db upgrade.",
                                 table=name, columns=", ".join(absent)))


def _order_of(table: Table) -> list:
    return list(table.primary_key.columns) or list(table.columns)


def _begin_snapshot(connection: Connection) -> Connection:
    """Start one read transaction that sees the database as it was at one moment."""
    if connection.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        connection.begin()
    elif connection.dialect.name == "sqlite":
        connection.begin()
        # pysqlite opens transactions only before writes; an explicit one holds a read lock till the end.
        connection.exec_driver_sql("BEGIN")
    else:
        connection.begin()
    return connection


# Export


@dataclass(frozen=True)
class TableEntry:
    """A table as the manifest describes it."""

    name: str
    file: str
    rows: int
    sha256: str
    columns: list[tuple[str, str]]  # (name, codec name)

    def as_json(self) -> dict:
        return {"name": self.name, "file": self.file, "rows": self.rows, "sha256": self.sha256,
                "columns": [{"name": name, "type": kind} for name, kind in self.columns]}


@dataclass(frozen=True)
class Summary:
    """What an export or import did: the archive's manifest, and how long it took."""

    manifest: dict
    seconds: float

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(entry["rows"] for entry in self.manifest["tables"])


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _lines(rows: Iterable, encoders: list[tuple[int, Callable]]) -> Iterator[str]:
    for row in rows:
        values = list(row)
        for position, encode in encoders:
            if values[position] is not None:
                values[position] = encode(values[position])
        yield _dumps(values) + "\n"


def _write_table(connection: Connection, archive: zipfile.ZipFile, table: Table) -> TableEntry:
    columns = list(table.columns)
    codecs = [codec_of(column) for column in columns]
    encoders = [(position, codec.encode) for position, codec in enumerate(codecs) if not codec.plain]
    name = f"tables/{table.name}.jsonl"
    digest, rows = hashlib.sha256(), 0
    statement = select(*(_read_expression(column) for column in columns)).order_by(*_order_of(table))
    result = connection.execution_options(yield_per=BATCH).execute(statement)
    member_info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    member_info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member_info, "w", force_zip64=True) as member:
        for partition in result.partitions():
            chunk = "".join(_lines(partition, encoders)).encode("utf-8")
            digest.update(chunk)
            member.write(chunk)
            rows += len(partition)
    return TableEntry(table.name, name, rows, digest.hexdigest(),
                      [(column.name, codec.name) for column, codec in zip(columns, codecs, strict=True)])


def export_archive(engine: Engine, path: Path, metadata: MetaData | None = None,
                   progress: Progress | None = None) -> Summary:
    """Write every table of the database into the archive at `path`, from one consistent snapshot."""
    started = time.perf_counter()
    tables = (metadata or db.metadata).sorted_tables
    for table in tables:
        for column in table.columns:
            codec_of(column)  # refuse before writing anything
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with engine.connect() as connection:
        connection = _begin_snapshot(connection)
        revision = _revision(connection)
        if revision is None:
            raise ArchiveError(_("The database has no Alembic revision: run flask db upgrade first."))
        _check_schema(connection, tables)
        # The archive holds password hashes and tokens: readable by its owner alone.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file, \
                    zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                entries = []
                for table in tables:
                    table_started = time.perf_counter()
                    entries.append(_write_table(connection, archive, table))
                    if progress:
                        progress(table.name, entries[-1].rows, time.perf_counter() - table_started)
                manifest = {
                    "format": FORMAT, "version": VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": connection.dialect.name,
                    "alembic_revision": revision,
                    "tables": [entry.as_json() for entry in entries],
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Summary(manifest, time.perf_counter() - started)


# Import


class _Damaged(ArchiveError):
    pass


def _damaged(path: Path, reason: str) -> ArchiveError:
    return _Damaged(_("%(path)s is not a usable Trainer archive: %(reason)s", path=path.name, reason=reason))


def read_manifest(archive: zipfile.ZipFile, path: Path, tables: list[Table]) -> dict:
    """Return the archive's manifest once it is known to describe exactly the given tables."""
    try:
        info = archive.getinfo(MANIFEST)
        if info.file_size > MANIFEST_MAX_BYTES:
            raise _too_large(path, MANIFEST, info.file_size, MANIFEST_MAX_BYTES)
        with archive.open(info) as member:
            # Never more than the limit, even if the ZIP's directory understates the size.
            data = member.read(MANIFEST_MAX_BYTES + 1)
        if len(data) > MANIFEST_MAX_BYTES:
            raise _too_large(path, MANIFEST, len(data), MANIFEST_MAX_BYTES)
        manifest = json.loads(data)
    except KeyError:
        raise _damaged(path, _("it has no %(name)s.", name=MANIFEST)) from None
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError):
        raise _damaged(path, _("its %(name)s cannot be read.", name=MANIFEST)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, _("its %(name)s does not describe a Trainer archive.", name=MANIFEST))
    if manifest.get("version") != VERSION:
        raise _damaged(path, _("it is in format version %(found)s; this Trainer reads version %(version)s.",
                               found=manifest.get("version"), version=VERSION))
    if not isinstance(manifest.get("alembic_revision"), str) or not isinstance(manifest.get("tables"), list):
        raise _damaged(path, _("its %(name)s lacks the revision or the tables.", name=MANIFEST))
    entries = {}
    for entry in manifest["tables"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and isinstance(entry.get("file"), str) and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("rows"), int) and not isinstance(entry["rows"], bool)
                and entry["rows"] >= 0 and isinstance(entry.get("columns"), list)
                and all(isinstance(column, dict) and isinstance(column.get("name"), str)
                        and isinstance(column.get("type"), str) for column in entry["columns"])):
            raise _damaged(path, _("its %(name)s describes a table badly.", name=MANIFEST))
        if entry["name"] in entries:
            raise _damaged(path, _("the table %(table)s appears twice.", table=entry["name"]))
        entries[entry["name"]] = entry
    known = {table.name: table for table in tables}
    unknown = sorted(set(entries) - set(known))
    if unknown:
        raise _damaged(path, _("it has tables that Trainer does not know: %(tables)s.", tables=", ".join(unknown)))
    missing = sorted(set(known) - set(entries))
    if missing:
        raise _damaged(path, _("it lacks the tables %(tables)s.", tables=", ".join(missing)))
    members = set(archive.namelist())
    for name, table in known.items():
        entry = entries[name]
        found = [column["name"] for column in entry["columns"]]
        if len(set(found)) != len(found):
            raise _damaged(path, _("the table %(table)s names a column twice.", table=name))
        unknown = sorted(set(found) - set(table.c.keys()))
        if unknown:
            raise _damaged(path, _("the table %(table)s has columns that Trainer does not know: %(columns)s.",
                                   table=name, columns=", ".join(unknown)))
        absent = sorted(set(table.c.keys()) - set(found))
        if absent:
            raise _damaged(path, _("the table %(table)s lacks the columns %(columns)s.",
                                   table=name, columns=", ".join(absent)))
        for column in entry["columns"]:
            expected = codec_of(table.c[column["name"]]).name
            if column["type"] != expected:
                raise _damaged(path, _("the column %(column)s is of type %(found)s, not %(expected)s.",
                                       column=f"{name}.{column['name']}", found=column["type"],
                                       expected=expected))
        if entry["file"] not in members:
            raise _damaged(path, _("the file %(file)s of the table %(table)s is missing.",
                                   file=entry["file"], table=name))
        # Each row is one line of at most LINE_MAX_BYTES: a file larger than its rows can fill is not read at all.
        size, most = archive.getinfo(entry["file"]).file_size, entry["rows"] * (LINE_MAX_BYTES + 1)
        if size > most:
            raise _damaged(path, _("%(file)s unpacks to %(size)s bytes, more than its %(rows)s rows can hold.",
                                   file=entry["file"], size=format_number(size), rows=format_number(entry["rows"])))
    return manifest


def _too_large(path: Path, file: str, size: int, limit: int) -> ArchiveError:
    return _damaged(path, _("%(file)s unpacks to more than %(limit)s bytes (%(size)s); no Trainer archive has one "
                            "so large.", file=file, limit=format_number(limit), size=format_number(size)))


_loads = json.JSONDecoder().decode


def _rows_of(archive: zipfile.ZipFile, path: Path, entry: dict, table: Table) -> Iterator[dict]:
    """Yield the rows of one table file as values to bind, checking every line, the count and the sum."""
    names = [column["name"] for column in entry["columns"]]
    codecs = [codec_of(table.c[name]) for name in names]
    checked = [(position, codec.kinds) for position, codec in enumerate(codecs) if codec.kinds]
    converted = []
    for position, (name, codec) in enumerate(zip(names, codecs, strict=True)):
        if codec.kinds:
            continue
        column = table.c[name]
        # In a nullable JSON column null is SQL NULL; in any other JSON column it is the JSON value null.
        none = null() if isinstance(column.type, JSON) and column.nullable else None
        converted.append((position, codec.decode, none))
    # Columns that only need a type check are checked once per combination of types seen (a handful).
    good_types: set[tuple] = set()
    # Text is checked on every database as PostgreSQL would: no NUL, and no longer than its column. SQLite would
    # take both, and the next PostgreSQL (or the app's forms and pages) would meet them later.
    texts = [(position, getattr(table.c[name].type, "length", None)) for position, (name, codec)
             in enumerate(zip(names, codecs, strict=True)) if codec.name in ("string", "enum")]
    file, digest, count = entry["file"], hashlib.sha256(), 0

    def bad(line: int, position: int, error: Exception) -> ArchiveError:
        return _damaged(path, _("line %(line)s of %(file)s has a bad %(column)s: %(error)s",
                                line=line, file=file, column=names[position], error=error))

    try:
        with archive.open(file) as member:
            for count, line in enumerate(iter(lambda: member.readline(LINE_MAX_BYTES + 1), b""), 1):
                if len(line) > LINE_MAX_BYTES:
                    raise _damaged(path, _("line %(line)s of %(file)s is longer than %(limit)s bytes.",
                                           line=count, file=file, limit=format_number(LINE_MAX_BYTES)))
                if count > entry["rows"]:
                    raise _damaged(path, _("%(file)s holds more rows than its manifest says (%(expected)s).",
                                           file=file, expected=entry["rows"]))
                digest.update(line)
                try:
                    values = _loads(line.decode("utf-8"))
                except ValueError:
                    raise _damaged(path, _("line %(line)s of %(file)s is not JSON.", line=count, file=file)) from None
                if not isinstance(values, list) or len(values) != len(names):
                    raise _damaged(path, _("line %(line)s of %(file)s does not hold %(count)s values.",
                                           line=count, file=file, count=len(names)))
                types = tuple(map(type, values))
                if types not in good_types:
                    for position, kinds in checked:
                        if values[position] is not None and types[position] not in kinds:
                            raise bad(count, position, TypeError(
                                f"{types[position].__name__} found, {kinds[0].__name__} expected"))
                    good_types.add(types)
                for position, length in texts:
                    value = values[position]
                    if value is None:
                        continue
                    if "\x00" in value:
                        raise bad(count, position, ValueError(_("the text holds a NUL character")))
                    if length is not None and len(value) > length:
                        raise bad(count, position, ValueError(_("%(found)s characters, at most %(length)s fit",
                                                                found=format_number(len(value)), length=length)))
                for position, decode, none in converted:
                    value = values[position]
                    try:
                        values[position] = none if value is None else decode(value)
                    except (TypeError, ValueError) as error:
                        raise bad(count, position, error) from None
                yield dict(zip(names, values, strict=True))
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _damaged(path, _("%(file)s cannot be read (%(error)s).", file=file, error=error)) from None
    if count != entry["rows"]:
        raise _damaged(path, _("%(file)s holds %(found)s rows, its manifest says %(expected)s.",
                               file=file, found=count, expected=entry["rows"]))
    if digest.hexdigest() != entry["sha256"]:
        raise _damaged(path, _("%(file)s does not match its checksum.", file=file))


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows_present(connection: Connection, tables: list[Table]) -> list[tuple[str, int]]:
    counts = [(table.name, connection.scalar(select(func.count()).select_from(table))) for table in tables]
    return [(name, rows) for name, rows in counts if rows]


def _empty(connection: Connection, tables: list[Table]) -> None:
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql("TRUNCATE " + ", ".join(quote(table.name) for table in tables))
    else:
        for table in reversed(tables):
            connection.execute(table.delete())


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move PostgreSQL's id sequences past the highest imported ids, so that new rows do not collide."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                         {"table": quote(table.name), "column": column.name})
            if sequence:
                connection.execute(
                    text(f"SELECT setval(CAST(:sequence AS regclass), "
                         f"COALESCE((SELECT MAX({quote(column.name)}) FROM {quote(table.name)}), 0) + 1, false)"),
                    {"sequence": sequence})


def _refused(table: str, error: DBAPIError) -> ArchiveError:
    detail = str(error.orig).strip().splitlines()[0]
    return ArchiveError(_("The database refused the rows of %(table)s: %(error)s", table=table, error=detail))


def import_archive(engine: Engine, path: Path, replace: bool = False, metadata: MetaData | None = None,
                   progress: Progress | None = None) -> Summary:
    """Load an archive into the migrated, empty database (emptied first with `replace`), whole or not at all."""
    started = time.perf_counter()
    path = Path(path)
    tables = (metadata or db.metadata).sorted_tables
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise _damaged(path, _("it is not a ZIP file (%(error)s).", error=error)) from None
    except OSError as error:
        raise ArchiveError(str(error)) from None
    with archive, engine.connect() as connection:
        manifest = read_manifest(archive, path, tables)
        entries = {entry["name"]: entry for entry in manifest["tables"]}
        with connection.begin():
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # no one writes between the checks and the end
            revision = _revision(connection)
            if revision != manifest["alembic_revision"]:
                raise ArchiveError(_(
                    "The archive was made at database revision %(archive)s, but this database is at %(database)s. "
                    "Import it into a database migrated to the same revision (flask db upgrade, with the same "
                    "version of Trainer).", archive=manifest["alembic_revision"], database=revision or _("none")))
            _check_schema(connection, tables)
            occupied = _rows_present(connection, tables)
            if occupied and not replace:
                raise ArchiveError(_(
                    "The database is not empty (%(tables)s). Import into a newly migrated database, or give "
                    "--replace to delete everything in it first.",
                    tables=", ".join(f"{name}: {format_number(rows)}" for name, rows in occupied)))
            if occupied:
                _empty(connection, tables)
            for table in tables:
                table_started, rows = time.perf_counter(), 0
                entry = entries[table.name]
                statement = table.insert()
                for batch in _batches(_rows_of(archive, path, entry, table), BATCH):
                    try:
                        connection.execute(statement, batch)
                    except StatementError as error:
                        if not isinstance(error, DBAPIError):  # a value the column's type refuses (an enum's)
                            raise _damaged(path, _("%(file)s has a value its column does not allow: %(error)s",
                                                   file=entry["file"], error=error.orig)) from None
                        raise _refused(table.name, error) from None
                    except OverflowError as error:  # SQLite takes 64-bit integers: a larger one cannot be sent
                        raise ArchiveError(_("The database refused the rows of %(table)s: %(error)s",
                                             table=table.name, error=error)) from None
                    rows += len(batch)
                if progress:
                    progress(table.name, rows, time.perf_counter() - table_started)
            _reset_sequences(connection, tables)
    return Summary(manifest, time.perf_counter() - started)


# Commands


def operator_locale() -> str:
    """Return the language of the person at the terminal: Hindi when their locale asks for it, else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").split(":")[0]
        if value:
            return "hi" if value.startswith("hi") else "en_IN"
    return "en_IN"


def _echo_progress(table: str, rows: int, seconds: float) -> None:
    click.echo(_("%(table)s: %(rows)s rows (%(seconds)s s)", table=table, rows=format_number(rows),
                 seconds=f"{seconds:.1f}"), err=True)


@click.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(path: Path) -> None:
    """Write the whole database into one archive FILE (ZIP of JSON Lines) that `flask import` reads."""
    with force_locale(operator_locale()):
        try:
            summary = export_archive(db.engine, path, progress=_echo_progress)
        except (ArchiveError, OSError) as error:
            raise click.ClickException(str(error)) from None
        click.echo(_("Exported %(rows)s rows of %(tables)s tables at revision %(revision)s to %(path)s "
                     "in %(seconds)s s.", rows=format_number(summary.rows), tables=summary.tables,
                     revision=summary.manifest["alembic_revision"], path=path, seconds=f"{summary.seconds:.1f}"))


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Delete every row of the database first (in the same transaction as the import).")
@with_appcontext
def import_command(path: Path, replace: bool) -> None:
    """Load an archive FILE made by `flask export` into this migrated, empty database, whole or not at all."""
    with force_locale(operator_locale()):
        try:
            summary = import_archive(db.engine, path, replace=replace, progress=_echo_progress)
        except ArchiveError as error:
            raise click.ClickException(_("%(reason)s Nothing was imported.", reason=error)) from None
        click.echo(_("Imported %(rows)s rows of %(tables)s tables (revision %(revision)s, exported on %(created)s) "
                     "in %(seconds)s s.", rows=format_number(summary.rows), tables=summary.tables,
                     revision=summary.manifest["alembic_revision"], created=summary.manifest.get("created_at"),
                     seconds=f"{summary.seconds:.1f}"))
