#!/usr/bin/env python3
"""Writes N GitHub-repository-like records as JSON lines, the same bytes for the same N and seed.

Each record is about 500 bytes: nested `owner` and `license` objects (license sometimes null), a
`topics` list, ISO-8601 timestamps, integers, floats, booleans and nullable text. Used by
`make bench` for Hangar, DuckDB's own reader and dlt alike.

    generate_github_repos.py 200000 repos.jsonl [--seed 7] [--changed 0.1 --new 0.01 --base 200000]
"""
import argparse
import datetime
import json
import random

LANGUAGES = ["Python", "Swift", "Rust", "Go", "C++", "TypeScript", "Java", None]
LICENSES = [
    {"key": "mit", "name": "MIT License", "spdx_id": "MIT"},
    {"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0"},
    {"key": "bsd-3-clause", "name": "BSD 3-Clause \"New\" or \"Revised\" License", "spdx_id": "BSD-3-Clause"},
    None,
]
TOPICS = ["database", "sql", "analytics", "etl", "python", "swift", "cli", "data-engineering", "olap", "api", "http", "ml"]
EPOCH = datetime.datetime(2015, 1, 1, tzinfo=datetime.timezone.utc)


def iso(seconds):
    return (EPOCH + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(rng, index, generation=0):
    owner_id = 1000 + index % 5000
    created = rng.randrange(0, 250_000_000)
    pushed = created + rng.randrange(0, 60_000_000) + generation * 86_400
    return {
        "id": 100_000 + index,
        "name": f"project-{index}",
        "full_name": f"owner{owner_id}/project-{index}",
        "owner": {"login": f"owner{owner_id}", "id": owner_id, "type": "Organization" if owner_id % 3 == 0 else "User",
                  "site_admin": False},
        "private": False,
        "description": None if index % 11 == 0 else f"A tool for {rng.choice(TOPICS)} and {rng.choice(TOPICS)} work, number {index}",
        "fork": index % 17 == 0,
        "created_at": iso(created),
        "pushed_at": iso(pushed),
        "homepage": None if index % 4 else f"https://project-{index}.example.org",
        "size": rng.randrange(10, 500_000),
        "stargazers_count": rng.randrange(0, 80_000) + generation,
        "watchers_count": rng.randrange(0, 5_000),
        "language": rng.choice(LANGUAGES),
        "forks_count": rng.randrange(0, 10_000),
        "open_issues_count": rng.randrange(0, 2_000),
        "score": round(rng.random() * 100, 3),
        "license": rng.choice(LICENSES),
        "topics": rng.sample(TOPICS, rng.randrange(0, 5)),
        "default_branch": "main" if index % 5 else "master",
        "archived": index % 23 == 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--changed", type=float, default=0.0, help="fraction of the first --base records changed")
    parser.add_argument("--new", type=float, default=0.0, help="fraction of --base records added after them")
    parser.add_argument("--base", type=int, default=0)
    args = parser.parse_args()
    with open(args.output, "w") as out:
        if args.base:
            # An update of an earlier file: a deterministic subset changed, plus new records.
            picker = random.Random(args.seed + 1)
            changed = sorted(picker.sample(range(args.base), int(args.base * args.changed)))
            for index in changed:
                out.write(json.dumps(record(random.Random(args.seed * 1_000_003 + index), index, generation=1)) + "\n")
            for index in range(args.base, args.base + int(args.base * args.new)):
                out.write(json.dumps(record(random.Random(args.seed * 1_000_003 + index), index)) + "\n")
        else:
            for index in range(args.count):
                out.write(json.dumps(record(random.Random(args.seed * 1_000_003 + index), index)) + "\n")


if __name__ == "__main__":
    main()
