#!/usr/bin/env python3
"""Writes N generated customers in the import format (JSON Lines) to stdout.

Usage: bench/gen_customers.py N [SEED]

Deterministic for a seed. About 1.5 lines per customer, a mix of active, suspended
and terminated lines with contract terms and fees, like the operator's export.
"""
import json
import random
import sys


def main() -> None:
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    out = sys.stdout
    for i in range(count):
        phone = f"010-{1000 + i // 10000 % 9000:04d}-{i % 10000:04d}"
        lines = []
        for j in range(1 if rng.random() < 0.55 else 2):
            status = rng.choices(["ACTIVE", "SUSPENDED", "TERMINATED"], [70, 5, 25])[0]
            line = {
                "externalId": f"L-{i}-{j}",
                "msisdn": phone if j == 0 else f"011-{1000 + i // 10000 % 9000:04d}-{i % 10000:04d}",
                "deviceClass": rng.choices(["PHONE", "SECOND_DEVICE", "IOT"], [80, 15, 5])[0],
                "brand": rng.choices(["OPERATOR", "MVNO"], [90, 10])[0],
                "payment": rng.choices(["POSTPAID", "PREPAID"], [92, 8])[0],
                "activatedOn": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "status": status,
                "contractEvents": [{"kind": "RENEWAL", "on": "2024-03-02"}],
                "contract": {"start": "2024-03-02", "end": "2026-03-01", "deviceSubsidy": 500000,
                             "additionalSubsidy": 75000, "monthlyDiscount": 12500},
            }
            if status == "SUSPENDED":
                line["suspension"] = {"reason": "MILITARY_SERVICE", "from": "2025-01-01"}
            if status == "TERMINATED":
                line["terminatedOn"] = f"2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}"
                line["terminatedBy"] = rng.choices(["CUSTOMER", "OPERATOR"], [90, 10])[0]
                line["etfCharged"] = {"commonSubsidy": 120000, "additionalSubsidy": 18000,
                                      "discountReturn": 30000, "nonRefundable": 250000}
            lines.append(line)
        customer = {
            "externalId": f"C-{i}",
            "name": f"Customer {i}",
            "birthDate": f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "phone": phone,
            "type": "CORPORATE" if rng.random() < 0.03 else "INDIVIDUAL",
            "lines": lines,
        }
        out.write(json.dumps(customer, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
