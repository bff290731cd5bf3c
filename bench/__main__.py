"""python -m bench [--quick] [--customers N] [--only NAME ...] [--repeat N]"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import dataset
from bench.common import Result, print_results

SUITES = (
    "startup",
    "insert",
    "pages",
    "memory",
    "images",
    "imports",
    "tracking",
    "planning",
    "reports",
    "reminders",
    "planner_ui",
    "backup",
    "customers",
    "exports",
    "frozen",
    "relay",
    "screenshots",
    "shared_pictures",
    "drafts",
    "variants",
)
#: Needs `make bundle` first, or a PostgreSQL server: only on request (--only frozen).
ON_REQUEST = ("frozen", "shared_pictures")
#: Work on generated pictures, not on the big shop: no dataset is built for them alone.
NO_DATASET = ("frozen", "screenshots", "shared_pictures", "drafts")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small dataset: checks the bench runs")
    parser.add_argument(
        "--only", nargs="*", choices=SUITES, default=[s for s in SUITES if s not in ON_REQUEST]
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--customers",
        type=int,
        default=None,
        help="customers in the shop (default 50,000, 5,000 with --quick); e.g. 200000 for "
        "the scale goals. Each size is built once and kept in bench/.data",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=None,
        help="how long the shop has traded (default 1, 90 days with --quick); orders and "
        "interactions grow with it, e.g. 3 for the report goals",
    )
    args = parser.parse_args()
    if args.only and set(args.only) <= set(NO_DATASET):
        alone: list[Result] = []
        if "frozen" in args.only:  # the bundle against the unfrozen app
            from bench import frozen

            alone += frozen.run(args.repeat)
        if "screenshots" in args.only:
            from bench import screenshots

            alone += screenshots.run(args.repeat, 12 if args.quick else 30)
        if "shared_pictures" in args.only:  # team mode, against a PostgreSQL server
            from bench import shared_pictures

            alone += shared_pictures.run(args.repeat)
        if "drafts" in args.only:
            from bench import drafts

            alone += drafts.run(args.repeat, 500 if args.quick else 5000)
        print_results(alone)
        return 0
    if args.only == ["relay"]:  # its own small shop: no big dataset needed
        from bench import relay

        print_results(relay.run(args.repeat))
        return 0
    spec = dataset.spec(args.quick, args.customers, args.years)
    print(
        f"dataset: {spec.customers:,} customers, {spec.products:,} products, "
        f"{spec.interactions:,} interactions, {spec.orders:,} orders over {spec.days:,} days"
    )
    shop, built = dataset.shop_folder(args.quick, args.customers, args.years)
    results: list[Result] = []
    if built is not None:
        rows = spec.customers + spec.products + spec.interactions + spec.orders * 2
        results.append(
            Result(
                "build dataset (demo builder, Core)",
                built * 1000,
                note=f"{rows / built:,.0f} rows/s",
            )
        )
    if "startup" in args.only:
        from bench import startup

        results += startup.run(shop, args.repeat)
    if "insert" in args.only:
        from bench import insert

        results += insert.run(5000 if args.quick else 50_000)
    if "pages" in args.only:
        from bench import pages

        results += pages.run(shop)
    if "memory" in args.only:
        from bench import memory

        results += memory.run(shop, spec.customers)
    if "images" in args.only:
        from bench import images

        results += images.run(args.repeat)
    if "imports" in args.only:
        from bench import imports

        results += imports.run(500 if args.quick else 5000)
        results += imports.memory_run(args.quick)
    if "tracking" in args.only:
        from bench import tracking

        results += tracking.run(shop, args.repeat)
    if "planning" in args.only:
        from bench import planning

        results += planning.run(shop, args.repeat)
    if "reports" in args.only:
        from bench import reports

        results += reports.run(shop, args.repeat)
    if "reminders" in args.only:
        from bench import reminders

        results += reminders.run(1000 if args.quick else 10_000, args.repeat)
    if "planner_ui" in args.only:
        from bench import planner_ui

        results += planner_ui.run(shop)
    if "backup" in args.only:
        from bench import backup

        results += backup.run(shop, 200 if args.quick else 2000, args.repeat)
    if "customers" in args.only:
        from bench import customers

        results += customers.run(shop, 5000 if args.quick else 50_000)
    if "exports" in args.only:
        from bench import exports

        results += exports.run(5000 if args.quick else 50_000, args.repeat)
    if "relay" in args.only:
        from bench import relay

        results += relay.run(args.repeat)
    if "screenshots" in args.only:
        from bench import screenshots

        results += screenshots.run(args.repeat, 12 if args.quick else 30)
    if "drafts" in args.only:
        from bench import drafts

        results += drafts.run(args.repeat, 500 if args.quick else 5000)
    if "variants" in args.only:
        from bench import variants

        results += variants.run(shop)
    print_results(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
