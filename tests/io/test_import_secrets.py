"""Nothing secret in manifests reaches any byte of the saved plan file."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.import_files import import_files

SECRETS = [
    "Hunter2-Pa55word",
    "supersecretdbpw",
    "ghp_Tok3nValue123",
    "s3cr3t-in-url",
    "urlUserName",
    "c2VjcmV0LWluLXNlY3JldA",  # base64 in a Secret object
    "plain-secret-value",
    "cm-password-value",
    "queryTok9",
    "sk_live_abcdef",
]

MANIFESTS = f"""
apiVersion: v1
kind: Secret
metadata: {{name: db, namespace: shop}}
data: {{password: c2VjcmV0LWluLXNlY3JldA==}}
stringData: {{token: plain-secret-value}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: cfg, namespace: shop}}
data:
  DB_PASSWORD: cm-password-value
  PAYMENTS_URL: "https://payments.shop:8443/charge?token=queryTok9"
---
apiVersion: v1
kind: Service
metadata: {{name: db, namespace: shop}}
spec: {{selector: {{app: db}}, ports: [{{port: 5432}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: payments, namespace: shop}}
spec: {{selector: {{app: payments}}, ports: [{{port: 8443}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: db, namespace: shop}}
spec:
  template:
    metadata: {{labels: {{app: db}}}}
    spec: {{containers: [{{name: pg, image: postgres}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: payments, namespace: shop}}
spec:
  template:
    metadata: {{labels: {{app: payments}}}}
    spec: {{containers: [{{name: app, image: pay}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop}}
spec:
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
      - name: app
        image: reg/api:1
        envFrom: [{{configMapRef: {{name: cfg}}}}, {{secretRef: {{name: db}}}}]
        env:
        - {{name: DB_PASSWORD, value: {SECRETS[0]}}}
        - {{name: POSTGRES_PASSWORD, value: {SECRETS[1]}}}
        - {{name: GITHUB_TOKEN, value: {SECRETS[2]}}}
        - {{name: DATABASE_URL, value: "postgres://{SECRETS[4]}:{SECRETS[3]}@db.shop:5432/app"}}
        - {{name: STRIPE, value: {SECRETS[9]}}}
        - {{name: FROM_SECRET, valueFrom: {{secretKeyRef: {{name: db, key: password}}}}}}
"""


def test_saved_plan_holds_no_secret_bytes(tmp_path: Path) -> None:
    source = tmp_path / "estate.yaml"
    source.write_text(MANIFESTS)
    assert all(s in MANIFESTS for s in SECRETS[:5])
    outcome = import_files([str(source)])
    assert outcome.skipped_secrets == 1
    target = tmp_path / "estate.meshplan"
    save_plan(outcome.plan, target)
    raw = target.read_bytes()
    try:
        text = gzip.decompress(raw)
    except OSError:
        text = zlib.decompress(raw)
    for secret in SECRETS:
        assert secret.encode() not in text, secret
        assert secret.encode() not in raw
    # the addresses themselves survive, and give the edges they state
    plan = load_plan(target)
    api = plan.inventory.workloads["default/shop/Deployment/api"]
    assert api.containers[0].env["DATABASE_URL"] == "postgres://db.shop:5432"
    assert api.containers[0].env["DB_PASSWORD"] == ""
    assert api.config_addresses == {"configmap cfg/PAYMENTS_URL": "https://payments.shop:8443"}
    assert set(plan.dependencies.edges) == {
        ("default/shop/Deployment/api", "default/shop/Deployment/db"),
        ("default/shop/Deployment/api", "default/shop/Deployment/payments"),
    }
