"""`flask regions import`: a file is validated whole, then applied whole."""
import csv
import io

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.regions.importer import REGION_COLUMNS
from trainer.regions.models import Block, District, Division, GramPanchayat


def write_csv(path, rows, columns=REGION_COLUMNS, bom=False, newline="\n"):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator=newline, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8"))
    return path


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Division, District, Block, GramPanchayat))


def snapshot():
    return {m.__tablename__: sorted(
        tuple(r) for r in db.session.execute(select(m.lgd_code, m.name_en, m.name_hi)))
        for m in (Division, District, Block, GramPanchayat)}


def test_import_creates_every_level_and_prints_a_summary(runner, tmp_path, region_rows):
    path = write_csv(tmp_path / "state.csv", region_rows())
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert counts() == (2, 4, 8, 24)
    assert "gram panchayat" in result.output and "24" in result.output
    gp = db.session.scalar(select(GramPanchayat).filter_by(lgd_code=11111))
    assert (gp.name_hi, gp.block.lgd_code, gp.block.district.division.name_hi) == ("ग्राम 1111", 1111, "संभाग 1")


def test_reimporting_the_same_file_changes_nothing(runner, tmp_path, region_rows):
    path = write_csv(tmp_path / "state.csv", region_rows())
    runner.invoke(args=["regions", "import", str(path)])
    before = snapshot()
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code == 0
    assert snapshot() == before
    lines = [line.split() for line in result.output.splitlines() if line.startswith("gram")]
    assert lines == [["gram", "panchayat", "0", "0", "24"]]


def test_renamed_place_is_updated_and_moved_gp_follows_its_new_block(runner, tmp_path, region_rows):
    rows = region_rows()
    runner.invoke(args=["regions", "import", str(write_csv(tmp_path / "a.csv", rows))])
    for row in rows:
        if row["district_code"] == "111":
            row["district_name_hi"] = "नया जिला"
        if row["gp_code"] == "11111":
            row.update(block_code="1112", block_name_en="Block 112", block_name_hi="जनपद 112")
    result = runner.invoke(args=["regions", "import", str(write_csv(tmp_path / "b.csv", rows))])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(District.name_hi).filter_by(lgd_code=111)) == "नया जिला"
    gp = db.session.scalar(select(GramPanchayat).filter_by(lgd_code=11111))
    assert gp.block.lgd_code == 1112
    assert counts() == (2, 4, 8, 24)


def test_bom_crlf_extra_columns_any_order_and_spaces_are_accepted(runner, tmp_path, region_rows):
    rows = [{**r, "gp_name_hi": f"  {r['gp_name_hi']} ", "remarks": "x"} for r in region_rows()]
    columns = ["remarks", *reversed(REGION_COLUMNS)]
    path = write_csv(tmp_path / "odd.csv", rows, columns=columns, bom=True, newline="\r\n")
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(GramPanchayat.name_hi).filter_by(lgd_code=11111)) == "ग्राम 1111"


def test_header_names_are_trimmed_and_case_insensitive(runner, tmp_path, region_rows):
    path = write_csv(tmp_path / "h.csv", region_rows())
    text = path.read_text().split("\n", 1)
    path.write_text(",".join(f" {c.upper()} " for c in text[0].split(",")) + "\n" + text[1])
    assert runner.invoke(args=["regions", "import", str(path)]).exit_code == 0
    assert counts() == (2, 4, 8, 24)


def test_a_broken_file_names_every_bad_line_and_changes_nothing(runner, tmp_path, region_rows):
    runner.invoke(args=["regions", "import", str(write_csv(tmp_path / "good.csv", region_rows()))])
    before = snapshot()
    rows = region_rows()
    rows[2]["gp_code"] = ""                              # line 4: empty code
    rows[4]["block_code"] = "12a"                        # line 6: not a number
    rows[7]["district_code"] = "111"                     # line 9: block 1121 under two districts
    rows[9]["division_name_en"] = "Other name"           # line 11: division 1 with two names
    rows[12]["gp_name_en"] = ""                          # line 14: empty name
    path = write_csv(tmp_path / "bad.csv", rows)
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code != 0
    bad_lines = sorted({int(line.split(":")[0].split()[1]) for line in result.output.splitlines()
                        if line.startswith("line ")})
    assert bad_lines == [4, 6, 9, 11, 14]
    assert "line 6: block code “12a” is not a number" in result.output
    assert ("line 9: block 1121 is under district 111 here but under 112 on line 8" in result.output)
    assert "nothing was imported" in result.output
    assert snapshot() == before


def test_missing_columns_are_named(runner, tmp_path, region_rows):
    columns = [c for c in REGION_COLUMNS if c not in ("gp_name_hi", "block_code")]
    result = runner.invoke(args=["regions", "import", str(write_csv(tmp_path / "m.csv", region_rows(),
                                                                    columns=columns))])
    assert result.exit_code != 0
    assert "line 1: missing columns: block_code, gp_name_hi" in result.output
    assert counts() == (0, 0, 0, 0)


def test_a_file_that_is_not_utf8_names_each_undecodable_line(runner, tmp_path, region_rows):
    path = write_csv(tmp_path / "u.csv", region_rows(gps=1))
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Division", b"\x93Division\x94")    # Windows-1252 quotes
    lines[5] = lines[5].replace(b"Gram", b"Gr\xe4m")
    path.write_bytes(b"\n".join(lines))
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code != 0
    assert "line 4: the text is not UTF-8" in result.output
    assert "line 6: the text is not UTF-8" in result.output
    assert counts() == (0, 0, 0, 0)


def test_an_empty_file_is_rejected(runner, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code != 0
    assert "line 1: the file is empty" in result.output


def test_admin_upload_page_lists_bad_lines_in_hindi_and_imports_a_good_file(client, login_as, region_rows,
                                                                             tmp_path):
    from trainer.core.roles import Role
    login_as(Role.ADMIN)
    before = snapshot()
    rows = region_rows(divisions=1)
    rows[1]["gp_code"] = "abc"
    bad = write_csv(tmp_path / "bad.csv", rows).read_bytes()
    page = client.post("/regions/import", data={"file": (io.BytesIO(bad), "bad.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "पंक्ति 3:" in page
    assert snapshot() == before
    good = write_csv(tmp_path / "good.csv", region_rows(divisions=3)).read_bytes()
    page = client.post("/regions/import", data={"file": (io.BytesIO(good), "good.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert counts() == (3, 6, 12, 36)
    assert "परिणाम" in page
