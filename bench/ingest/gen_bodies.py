#!/usr/bin/env python3
"""Writes request-event bodies for bench/ingest-bench.sh: JSON arrays of 1,000 events each.

Each body is one flush from one application instance (3 instances): 200 endpoints with Zipf-like
popularity, lognormal latencies (a few endpoints slow, one often over 2 s), 4xx and 5xx, 50 users
(15% anonymous), timestamps within the last 5 seconds: ISO-8601 with microseconds and Z (70%),
without a zone (20%), or epoch milliseconds (10%).

Usage: gen_bodies.py OUT_DIR BODIES EVENTS_PER_BODY SERVICE SEED
"""
import datetime
import json
import math
import os
import random
import sys


def endpoints(rng):
    resources = ["users", "orders", "products", "carts", "invoices", "payments", "reviews",
                 "search", "sessions", "reports", "shipments", "coupons", "stores", "tickets",
                 "teams", "projects", "files", "messages", "events", "settings"]
    out = []
    for i in range(200):
        res = resources[i % len(resources)]
        shape = i // len(resources)  # 10 shapes per resource
        method, route = [
            ("GET", f"/api/{res}"),
            ("GET", f"/api/{res}/{{id}}"),
            ("POST", f"/api/{res}"),
            ("PUT", f"/api/{res}/{{id}}"),
            ("DELETE", f"/api/{res}/{{id}}"),
            ("GET", f"/api/{res}/{{id}}/history"),
            ("PATCH", f"/api/{res}/{{id}}"),
            ("GET", f"/api/v2/{res}"),
            ("POST", f"/api/{res}/{{id}}/actions"),
            ("GET", f"/api/{res}/export"),
        ][shape]
        median = math.exp(rng.uniform(math.log(0.005), math.log(0.4)))
        if route.endswith("/export"):
            median = 1.2 + rng.random()  # slow endpoints: often over the 2 s threshold
        out.append((method, route, median, rng.uniform(0.3, 0.9), 1.0 / (i + 1) ** 0.9))
    return out


def main():
    out_dir, bodies, per_body, service, seed = sys.argv[1:6]
    bodies, per_body, seed = int(bodies), int(per_body), int(seed)
    rng = random.Random(seed)
    eps = endpoints(random.Random(7))  # the same 200 endpoints in every run
    weights = [e[4] for e in eps]
    users = [f"user{u:02d}@example.com" for u in range(50)]
    now = datetime.datetime.now(datetime.timezone.utc)
    os.makedirs(out_dir, exist_ok=True)
    for b in range(bodies):
        instance = f"api-{b % 3 + 1}"
        events = []
        for ep in rng.choices(eps, weights, k=per_body):
            method, route, median, sigma, _ = ep
            seconds = round(median * math.exp(sigma * rng.gauss(0, 1)), 6)
            r = rng.random()
            if r < 0.01:
                status = rng.choice([500, 502, 503])
            elif r < 0.05:
                status = rng.choice([400, 401, 403, 404, 404, 422])
            elif r < 0.06:
                status = 304
            else:
                status = 201 if method == "POST" else 200
            t = now - datetime.timedelta(seconds=rng.uniform(0, 5))
            kind = rng.random()
            if kind < 0.7:
                ts = t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            elif kind < 0.9:
                ts = t.strftime("%Y-%m-%dT%H:%M:%S.%f")
            else:
                ts = int(t.timestamp() * 1000)
            e = {"timestamp": ts, "endpoint": route, "method": method,
                 "response_time": seconds, "status_code": status,
                 "service": service, "instance": instance}
            if rng.random() >= 0.15:
                e["user_email"] = users[min(49, int(abs(rng.gauss(0, 12))))]
            events.append(e)
        with open(os.path.join(out_dir, f"body-{b}.json"), "w") as f:
            json.dump(events, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
