"""python -m bench [--quick] [--only NAME ...] [--repeat N]"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import dataset
from bench.common import Result, print_results

SUITES = ("startup", "insert", "pages", "images", "imports", "customers")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small dataset: checks the bench runs")
    parser.add_argument("--only", nargs="*", choices=SUITES, default=list(SUITES))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = dataset.spec(args.quick)
    print(
        f"dataset: {spec.customers:,} customers, {spec.products:,} products, "
        f"{spec.interactions:,} interactions, {spec.orders:,} orders"
    )
    shop, built = dataset.shop_folder(args.quick)
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
    if "images" in args.only:
        from bench import images

        results += images.run(args.repeat)
    if "imports" in args.only:
        from bench import imports

        results += imports.run(500 if args.quick else 5000)
    if "customers" in args.only:
        from bench import customers

        results += customers.run(shop, 5000 if args.quick else 50_000)
    print_results(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
