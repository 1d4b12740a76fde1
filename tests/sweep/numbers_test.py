"""Every number of runs.csv and summary.csv is the number of the run
records (runs/*.json), exactly, in its shortest form: 0.2 reads "0.2".

    numbers_test.py OUT    (OUT: a finished sweep folder)
"""
import csv
import json
import math
import pathlib
import re
import sys

out = pathlib.Path(sys.argv[1])
failures = []


def fail(message):
    failures.append(message)


def digits(text):
    """The significant digits of a decimal number's text."""
    mantissa = re.split("[eE]", text)[0].lstrip("+-").replace(".", "")
    return mantissa.strip("0") or "0"


checked = 0


def same(cell, value, where):
    """cell, as written in a table, stands for the record's value."""
    global checked
    checked += 1
    if value is None:  # JSON null: NaN in the record
        if cell != "nan":
            fail(f"{where}: '{cell}' for null")
        return
    if isinstance(value, bool):
        if cell != ("true" if value else "false"):
            fail(f"{where}: '{cell}' for {value}")
        return
    if isinstance(value, str):
        if cell != value:
            fail(f"{where}: '{cell}' for '{value}'")
        return
    number = float(cell)
    if number != value:
        fail(f"{where}: '{cell}' reads as {number!r}, the record has {value!r}")
    # Shortest: no more digits than Python's repr (also shortest round-trip).
    if isinstance(value, float) and math.isfinite(value) and len(digits(cell)) != len(digits(repr(value))):
        fail(f"{where}: '{cell}' is not the shortest text of {value!r} ('{repr(value)}')")


records = {}
for path in sorted((out / "runs").glob("*.json")):
    record = json.loads(path.read_text())
    records[record["id"]] = record
if len(records) != 4:
    fail(f"{len(records)} run records, expected 4")

with open(out / "summary.csv", newline="") as f:
    summary = list(csv.DictReader(f))
if sorted(row["run_id"] for row in summary) != sorted(records):
    fail("summary.csv does not have one row per record")
for row in summary:
    record = records[row["run_id"]]
    where = f"summary.csv, run {row['run_id']}"
    for column, cell in row.items():
        if column == "run_id":
            continue
        if column in record["grid"]:
            same(cell, record["grid"][column], f"{where}, {column}")
        elif column in ("final_loss", "diverged", "seconds"):
            same(cell, record[column], f"{where}, {column}")
        else:
            same(cell, record["scalars"].get(column), f"{where}, {column}")
    if row["gain"] not in ("0.2", "1.1") or row["lr"] not in ("0.0039", "0.001"):
        fail(f"{where}: gain '{row['gain']}', lr '{row['lr']}': not as written in the script")

with open(out / "runs.csv", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
grid_keys = header[1:-4]
if header[-4:] != ["phase", "rule", "iteration", "loss"]:
    fail(f"runs.csv header {header}")
expected = [(id, point) for id, record in records.items() for point in record["curve"]]
if len(rows) != len(expected):
    fail(f"runs.csv has {len(rows)} rows, the records {len(expected)} points")
by_run = {}
for row in rows:
    by_run.setdefault(row[0], []).append(row)
for id, record in records.items():
    mine = by_run.get(id, [])
    if len(mine) != len(record["curve"]):
        fail(f"runs.csv: run {id} has {len(mine)} rows, its record {len(record['curve'])} points")
        continue
    for row, point in zip(mine, record["curve"]):
        where = f"runs.csv, run {id}, iteration {point[2]}"
        for key, cell in zip(grid_keys, row[1:]):
            same(cell, record["grid"][key], f"{where}, {key}")
        for cell, value, name in zip(row[-4:], point, ("phase", "rule", "iteration", "loss")):
            same(cell, value, f"{where}, {name}")

for message in failures[:20]:
    print("FAIL:", message)
if failures:
    print(f"{len(failures)} of {checked} numbers differ")
    sys.exit(1)
print(f"numbers: {checked} numbers of runs.csv and summary.csv equal the run records")
