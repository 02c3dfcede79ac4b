"""Checking a certificate's QR code offline with docs/verify_certificate.py, as someone without Trainer's server
does: a genuine code (its address, the code alone, a scan) is valid; an altered one, one signed by another key,
and anything else is not — always with a message, never a traceback."""
import ast
import base64
import io
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from sqlalchemy import select

from trainer.attendance.qr import qr_png
from trainer.certificates import documents, services, signing
from trainer.certificates.models import Certificate
from trainer.extensions import db

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "verify_certificate.py"
ALLOWED_IMPORTS = {"cryptography", "zxingcpp", "PIL"}


def run(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the script as its users do: isolated (-I: no Trainer on the path), from a folder of their own."""
    return subprocess.run([sys.executable, "-I", "-X", "utf8", str(SCRIPT), *args], cwd=cwd, input=stdin,
                          capture_output=True, encoding="utf-8", timeout=60, check=False)


def code_of(private: Ed25519PrivateKey, message: str) -> str:
    """Make a code the documented way: base32(message + Ed25519 signature), upper case, no padding."""
    data = message.encode()
    return base64.b32encode(data + private.sign(data)).decode().rstrip("=")


@pytest.fixture
def issued(app, marked, places, tmp_path):
    """Issue GP 11111's certificate; return it, its QR's text and the department's public key as a PEM file."""
    with app.test_request_context():
        services.issue_participation(marked, [places.gp(11111).id])
        db.session.commit()
        certificate = db.session.scalar(select(Certificate))
        url = signing.qr_text(documents.verify_url(certificate.payload))
        public = signing.keys().public
    key = tmp_path / "key.pem"
    key.write_text(signing.public_key_text(public))
    return certificate, url, key, public


def test_the_script_needs_only_the_standard_library_and_cryptography():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported - set(sys.stdlib_module_names) <= ALLOWED_IMPORTS
    assert "revoked" in ast.get_docstring(tree) and "replaced" in ast.get_docstring(tree)


def test_a_genuine_code_is_valid_as_its_address_as_the_code_alone_and_from_standard_input(issued, tmp_path):
    certificate, url, key, public = issued
    assert url.startswith("HTTP://LOCALHOST/C/") and url.endswith(certificate.payload)
    for args, stdin in (([url], None), ([certificate.payload], None), ([certificate.payload.lower()], None),
                        (["-"], url + "\n")):
        result = run(tmp_path, "--key", str(key), *args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert certificate.shown_serial in result.stdout
        assert certificate.recipient_hi in result.stdout
        assert "11111" in result.stdout and "participation" in result.stdout
        assert certificate.issued_on.isoformat() in result.stdout
        assert f"valid signature (key id {signing.key_id(public)})" in result.stdout
        assert signing.key_id(public) == certificate.key_id
        assert "NOT VALID" not in result.stdout and result.stderr == ""


def test_the_key_is_read_in_each_form_the_department_publishes_it(issued, tmp_path, runner):
    certificate, url, _key, public = issued
    raw = tmp_path / "key.txt"
    raw.write_text(signing.public_key_raw(public) + "\n")  # /api/v1/certificates/key's public_key_base64
    printed = tmp_path / "printed.pem"
    printed.write_text(runner.invoke(args=["certificates", "public-key"]).output)  # with its "key id" line
    retired = tmp_path / "retired.pem"
    retired.write_text(signing.public_key_text(Ed25519PrivateKey.generate().public_key()))
    for keys in (["--key", str(raw)], ["--key", str(printed)], ["--key", signing.public_key_raw(public)],
                 ["--key", str(retired), "--key", str(printed)]):
        result = run(tmp_path, *keys, url)
        assert result.returncode == 0, (keys, result.stdout, result.stderr)
        assert f"valid signature (key id {certificate.key_id})" in result.stdout


def test_a_code_with_one_character_of_its_message_changed_is_not_valid(issued, tmp_path):
    certificate, url, key, _public = issued
    code = certificate.payload
    for position in (0, 20, 40):  # the version, the serial, the GP code: all within the message
        changed = code[:position] + ("B" if code[position] != "B" else "C") + code[position + 1:]
        result = run(tmp_path, "--key", str(key), url.replace(code, changed))
        assert result.returncode == 1, (position, result.stdout)
        assert "NOT VALID" in result.stdout and "valid signature" not in result.stdout
        assert "Traceback" not in result.stderr


def test_a_code_signed_by_another_key_is_not_valid(issued, tmp_path):
    certificate, _url, key, _public = issued
    other = Ed25519PrivateKey.generate()
    forged = code_of(other, f"1|{certificate.serial}|{certificate.issued_on:%Y%m%d}|P|11111|{certificate.recipient_hi}")
    result = run(tmp_path, "--key", str(key), f"HTTP://LOCALHOST/C/{forged}")
    assert result.returncode == 1
    assert "NOT VALID" in result.stdout and "valid signature" not in result.stdout
    assert certificate.shown_serial in result.stdout and "NOT signed" in result.stdout  # what it claims, marked so
    assert "Traceback" not in result.stderr
    other_key = tmp_path / "other.pem"
    other_key.write_text(signing.public_key_text(other.public_key()))
    assert run(tmp_path, "--key", str(other_key), forged).returncode == 0  # the code itself is well made


def test_a_forged_name_cannot_hide_the_verdict_on_a_terminal(issued, tmp_path):
    _certificate, _url, key, _public = issued
    forged = code_of(Ed25519PrivateKey.generate(), "1|7KQ2MXD4PA|20261203|P|11111|ग्राम\x1b[8m\nvalid signature")
    result = run(tmp_path, "--key", str(key), forged)
    assert result.returncode == 1 and "NOT VALID" in result.stdout
    assert "\x1b" not in result.stdout and "\\u001b[8m\\u000avalid signature" in result.stdout


def test_a_message_signed_by_the_key_but_not_a_certificates_is_not_valid(issued, tmp_path):
    _certificate, _url, key, _public = issued
    with_key = signing.keys().signing
    for message in ("2|7KQ2MXD4PA|20261203|P|11111|ग्राम", "1|7KQ2MXD4PA|20261303|P|11111|ग्राम",
                    "1|7KQ2MXD4PA|20261203|X|11111|ग्राम", "1|7KQ2MXD4PA|20261203|P|11111"):
        result = run(tmp_path, "--key", str(key), code_of(with_key, message))
        assert result.returncode == 1, message
        assert "NOT VALID" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("text", [
    "", "   ", "HTTP://LOCALHOST/C/", "garbage", "!!!!", "ग्राम", "%00%FF", "A" * 3000, "A" * 5000, "ABCDEFGH",
    base64.b32encode(b"\xff" * 100).decode(), base64.b32encode(b"1|a|b" + b"\x00" * 64).decode(),
    "7KQ2M-XD4PA", "HTTP://LOCALHOST/C/7KQ2MXD4PA",
])
def test_anything_else_is_not_valid_and_never_a_traceback(issued, tmp_path, text):
    _certificate, _url, key, _public = issued
    result = run(tmp_path, "--key", str(key), text)
    assert result.returncode == 1
    assert "NOT VALID" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_key_or_an_image_that_cannot_be_read_is_said_so_and_never_a_traceback(issued, tmp_path):
    _certificate, url, key, _public = issued
    private = tmp_path / "private.pem"
    private.write_text(signing.private_key_pem(signing.keys().signing))
    not_an_image = tmp_path / "not.png"
    not_an_image.write_text("not an image")
    for args in (["--key", str(tmp_path / "missing.pem"), url], ["--key", "AQEB", url], ["--key", str(private), url],
                 ["--key", str(key), "--image", str(not_an_image)],
                 ["--key", str(key), "--image", str(tmp_path / "missing.png")]):
        result = run(tmp_path, *args)
        assert result.returncode == 1, args
        assert "cannot check" in result.stderr and "valid signature" not in result.stdout
        assert "Traceback" not in result.stderr


def test_the_qr_is_read_from_a_scan(issued, tmp_path):
    pytest.importorskip("zxingcpp")
    certificate, url, key, _public = issued
    direct = tmp_path / "qr.png"
    direct.write_bytes(qr_png(url))  # the QR as Trainer draws it
    with Image.open(io.BytesIO(qr_png(url, module_pixels=4))) as scan:
        sheet = Image.new("L", (scan.width + 200, scan.height + 300), 255)  # and small, somewhere on a sheet
        sheet.paste(scan.convert("L"), (120, 200))
    on_sheet = tmp_path / "sheet.png"
    sheet.save(on_sheet)
    for path in (direct, on_sheet):
        result = run(tmp_path, "--key", str(key), "--image", str(path))
        assert result.returncode == 0, (path, result.stdout, result.stderr)
        assert certificate.shown_serial in result.stdout and certificate.recipient_hi in result.stdout
        assert f"valid signature (key id {certificate.key_id})" in result.stdout

    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    result = run(tmp_path, "--key", str(key), "--image", str(blank))
    assert result.returncode == 1 and "no QR code" in result.stderr and "Traceback" not in result.stderr
