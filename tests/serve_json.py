#!/usr/bin/env python3
"""tests/serve.test's reader of answers and of the store.

  serve_json.py FILE EXPR     print EXPR, a Python expression over d (FILE's
                              JSON) and r (d["task_result"] parsed, when it
                              is a non-empty string); lists and dicts as JSON
  serve_json.py --db DB SQL   print the rows of SQL on the store DB, one a line,
                              fields separated by spaces
Exit 1 (with the reason on stderr) when FILE is not JSON or EXPR fails.
"""
import json
import sqlite3
import sys


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--db":
        con = sqlite3.connect(sys.argv[2], timeout=30)
        for row in con.execute(sys.argv[3]):
            print(" ".join(str(v) for v in row))
        return 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            d = json.load(f)
        r = None
        if isinstance(d, dict) and isinstance(d.get("task_result"), str) and d["task_result"]:
            r = json.loads(d["task_result"])
        v = eval(sys.argv[2], {"d": d, "r": r, "json": json, "len": len, "all": all, "any": any,
                               "set": set, "sorted": sorted})
    except Exception as e:  # the test prints it as the failure's detail
        print("serve_json: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    print(json.dumps(v) if isinstance(v, (list, dict)) else v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
