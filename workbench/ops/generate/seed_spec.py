"""The seed estate as a table: namespaces, and for each workload its shape and callees.

A callee is named ``name`` (same namespace) or ``namespace/name``; namespace names are
unique across both clusters, so a callee in the other cluster is addressed the
multi-cluster way (``svc.ns.svc.clusterset.local``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

CLUSTERS = (("prod-east", 24), ("prod-west", 12))  # name, nodes

_PROD = {"environment": "prod"}
NAMESPACES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("edge", "prod-east", {**_PROD, "team": "edge"}),
    ("identity", "prod-east", {**_PROD, "team": "identity"}),
    ("orders", "prod-east", {**_PROD, "team": "commerce"}),
    ("payments", "prod-east", {
        **_PROD, "team": "payments", "pod-security.kubernetes.io/enforce": "restricted",
    }),
    ("catalog", "prod-east", {**_PROD, "team": "catalog"}),
    ("inventory", "prod-east", {**_PROD, "team": "supply"}),
    ("messaging", "prod-east", {**_PROD, "team": "platform"}),
    ("notification", "prod-east", {**_PROD, "team": "engagement"}),
    ("platform", "prod-east", {**_PROD, "team": "platform"}),
    ("kube-system", "prod-east", {}),
    ("analytics", "prod-west", {**_PROD, "team": "data"}),
    ("search", "prod-west", {**_PROD, "team": "discovery"}),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    recipe: str  # a key of workbench.ops.generate.shapes.PROFILES
    replicas: int = 2
    calls: tuple[str, ...] = ()
    namespace: str = ""
    init_calls: tuple[str, ...] = ()  # calls made by an init container
    init_image: str | None = None
    uid: int | None = None
    extra_ports: tuple[tuple[int, str], ...] = ()
    service_type: str = "ClusterIP"
    declared: str = "name"  # name | app_protocol | none
    undeclared_peer_ports: tuple[int, ...] = ()
    image: str | None = None
    size: tuple[int, int] | None = None  # CPU millicores, memory MiB requests
    bare: bool = False  # no resources, unnamed ports, no version label, default account
    version: str = "v1"
    external: tuple[tuple[str, str], ...] = ()  # env vars naming hosts outside the estate


def _w(name: str, recipe: str, replicas: int = 2, calls: str = "", **kw: object) -> Spec:
    return Spec(name, recipe, replicas, tuple(calls.split()), **kw)  # type: ignore[arg-type]


def _in(namespace: str, *specs: Spec) -> tuple[Spec, ...]:
    return tuple(replace(s, namespace=namespace) for s in specs)


_STRIPE = (("PAYMENT_PROVIDER_URL", "https://api.stripe.com/v1"),)
_SMTP = (("SMTP_HOST", "smtp.sendgrid.net:587"),)

# fmt: off
SPECS: tuple[Spec, ...] = (
    *_in("edge",
        _w("api-gateway", "web", 6, "identity/user-service identity/auth-service "
           "orders/order-service orders/cart-service orders/checkout-service "
           "catalog/catalog-service search/search-api rate-limiter feature-flags "
           "platform/otel-collector",
           service_type="LoadBalancer"),
        _w("web-frontend", "web", 4, "api-gateway feature-flags"),
        _w("mobile-bff", "api", 3, "api-gateway identity/user-service notification/push-service"),
        _w("admin-portal", "web", 2, "identity/auth-service orders/order-service "
           "analytics/reporting-service", service_type="NodePort"),
        _w("partner-api", "api", 2, "orders/order-service inventory/inventory-service edge-cache",
           service_type="LoadBalancer"),
        _w("rate-limiter", "grpc", 3, "edge-cache"),
        _w("auth-proxy", "api", 2, "identity/auth-service"),
        _w("feature-flags", "api", 2, "edge-cache"),
        _w("geo-ip", "api", 2),
        _w("waf", "api", 2, "api-gateway", image="owasp/modsecurity-crs:3.3-nginx"),
        _w("bot-detection", "grpc", 2, "edge-cache"),
        _w("static-assets", "web", 2, bare=True),
        _w("edge-cache", "redis", 3),
    ),
    *_in("identity",
        _w("user-service", "api", 4, "users-db session-cache auth-service "
           "notification/notification-service platform/otel-collector"),
        _w("auth-service", "api", 3, "users-db session-cache token-service permissions-service"),
        _w("token-service", "grpc", 2, "session-cache"),
        _w("profile-service", "api", 2, "users-db catalog/media-service"),
        _w("consent-service", "api", 2, "consent-db"),
        _w("account-recovery", "api", 1, "user-service notification/notification-service"),
        _w("mfa-service", "grpc", 2, "session-cache notification/sms-gateway"),
        _w("sso-bridge", "api", 2, "auth-service user-service"),
        _w("permissions-service", "grpc", 2, "users-db"),
        _w("identity-audit-consumer", "worker", 1, "messaging/kafka consent-db"),
        _w("ldap-sync", "cronjob", 1, "user-service"),
        _w("identity-admin", "web", 1, "user-service permissions-service"),
        _w("users-db", "postgres", 3),
        _w("session-cache", "redis", 3),
        _w("consent-db", "postgres", 1),
    ),
    *_in("orders",
        _w("order-service", "api", 6, "cart-service inventory/inventory-service "
           "payments/payment-service catalog/pricing-service messaging/kafka "
           "notification/notification-service platform/otel-collector",
           init_calls=("orders-db",), init_image="flyway/flyway:10.11"),
        _w("cart-service", "api", 4, "cart-cache catalog/catalog-service catalog/pricing-service"),
        _w("checkout-service", "api", 4, "order-service payments/payment-service cart-service "
           "shipping-service identity/user-service"),
        _w("shipping-service", "api", 2, "shipping-db order-tracking"),
        _w("order-history", "api", 2, "orders-db"),
        _w("returns-service", "api", 2, "order-service payments/refund-service"),
        _w("order-tracking", "api", 2, "shipping-db messaging/kafka"),
        _w("fulfilment-service", "api", 3, "order-service inventory/stock-reservation "
           "shipping-service"),
        _w("order-search", "api", 2, "order-history search/search-api"),
        _w("delivery-slots", "api", 2, "shipping-db"),
        _w("order-events-consumer", "worker", 3, "messaging/kafka order-service",
           init_image="busybox:1.36"),
        _w("order-archiver", "cronjob", 1, "orders-db"),
        _w("orders-db", "postgres", 3, size=(1000, 4096)),
        _w("cart-cache", "redis", 3),
        _w("shipping-db", "postgres", 1),
    ),
    *_in("payments",
        _w("payment-service", "api", 4, "payments-db fraud-detection ledger-service "
           "billing-service currency-service platform/statsd-exporter", external=_STRIPE),
        _w("fraud-detection", "grpc", 3, "fraud-cache", uid=1337),
        _w("ledger-service", "api", 3, "ledger-db payment-service"),
        _w("refund-service", "api", 2, "payment-service ledger-service"),
        _w("payout-service", "api", 2, "ledger-service payments-db", external=_STRIPE),
        _w("billing-service", "api", 2, "billing-db invoice-service"),
        _w("invoice-service", "api", 2, "billing-db notification/notification-service"),
        _w("wallet-service", "api", 2, "ledger-service payments-db"),
        _w("currency-service", "grpc", 2),
        _w("tax-service", "api", 2),
        _w("chargeback-service", "api", 1, "payment-service ledger-service"),
        _w("settlement-batch", "cronjob", 1, "ledger-service payments-db"),
        _w("fraud-model-sync", "cronjob", 1, "fraud-detection"),
        _w("payments-db", "postgres", 3, size=(1000, 4096)),
        _w("ledger-db", "postgres", 3),
        _w("billing-db", "mysql", 1, declared="none"),
        _w("fraud-cache", "redis", 1),
    ),
    *_in("catalog",
        _w("catalog-service", "api", 4, "catalog-db catalog-cache pricing-service reviews-service"),
        _w("pricing-service", "grpc", 3, "pricing-db promotions-service"),
        _w("promotions-service", "api", 2, "pricing-db"),
        _w("reviews-service", "api", 2, "reviews-db identity/user-service"),
        _w("recommendations", "api", 3, "catalog-service analytics/ml-feature-store"),
        _w("media-service", "api", 2, "media-cache"),
        _w("category-service", "api", 2, "catalog-db"),
        _w("seo-service", "api", 1, "catalog-service", bare=True),
        _w("bundle-service", "api", 2, "catalog-service pricing-service"),
        _w("catalog-importer", "job", 1, "catalog-service catalog-db"),
        _w("catalog-exporter", "cronjob", 1, "catalog-db"),
        _w("price-alerts", "worker", 1, "pricing-service notification/notification-service"),
        _w("catalog-db", "mongo", 3),
        _w("catalog-cache", "redis", 2),
        _w("pricing-db", "postgres", 1),
        _w("reviews-db", "postgres", 1),
        _w("media-cache", "redis", 1),
    ),
    *_in("inventory",
        _w("inventory-service", "api", 4, "inventory-db inventory-cache messaging/kafka "
           "warehouse-sync"),
        _w("warehouse-sync", "api", 2, "inventory-db", extra_ports=((15020, "admin"),)),
        _w("stock-reservation", "api", 3, "inventory-db inventory-cache inventory-service"),
        _w("supplier-gateway", "api", 2, external=(("SUPPLIER_API_URL", "https://edi.example-supplier.com/v2"),)),
        _w("location-service", "grpc", 2, "inventory-db"),
        _w("allocation-service", "api", 2, "stock-reservation location-service"),
        _w("reorder-worker", "worker", 2, "messaging/kafka supplier-gateway"),
        _w("stock-reconcile", "job", 1, "inventory-db inventory-service"),
        _w("stock-report", "cronjob", 1, "inventory-db"),
        _w("pick-list-generator", "cronjob", 1, "allocation-service"),
        _w("inventory-db", "postgres", 3),
        _w("inventory-cache", "redis", 1),
    ),
    *_in("messaging",
        _w("kafka", "kafka", 3, "zookeeper", size=(1000, 4096)),
        _w("zookeeper", "zookeeper", 3, undeclared_peer_ports=(3888,)),
        _w("schema-registry", "api", 2, "kafka", image="confluentinc/cp-schema-registry:7.6.0"),
        _w("kafka-connect", "api", 2, "kafka schema-registry",
           image="confluentinc/cp-kafka-connect:7.6.0"),
        _w("kafka-ui", "web", 1, "kafka schema-registry"),
        _w("rabbitmq", "api", 3, image="rabbitmq:3.13-management",
           extra_ports=((5672, "amqp"), (4369, "epmd"), (25672, "clustering"))),
        _w("topic-manager", "job", 1, "kafka"),
        _w("nats", "nats", 3, declared="none"),
    ),
    *_in("notification",
        _w("notification-service", "api", 3, "notification-db notification-queue email-sender "
           "sms-gateway push-service template-service preferences-service"),
        _w("email-sender", "api", 2, "template-service messaging/rabbitmq", external=_SMTP),
        _w("sms-gateway", "api", 2, external=(("SMS_PROVIDER_URL", "https://api.twilio.com/2010-04-01"),)),
        _w("push-service", "grpc", 2, "notification-queue"),
        _w("template-service", "api", 2, "notification-db"),
        _w("preferences-service", "api", 2, "notification-db identity/user-service"),
        _w("in-app-messages", "api", 2, "notification-db preferences-service"),
        _w("webhook-dispatcher", "worker", 2, "messaging/nats notification-queue"),
        _w("digest-mailer", "cronjob", 1, "notification-service"),
        _w("notification-db", "postgres", 1),
        _w("notification-queue", "redis", 1),
    ),
    *_in("platform",
        _w("node-exporter", "node-agent", 1),
        _w("fluent-bit", "log-shipper", 1, "otel-collector"),
        _w("statsd-exporter", "statsd", 1),
        _w("otel-collector", "collector", 2, "jaeger"),
        _w("prometheus", "api", 2, "alertmanager", image="prom/prometheus:v2.51.0",
           size=(1000, 4096)),
        _w("alertmanager", "api", 2, image="prom/alertmanager:v0.27.0"),
        _w("grafana", "web", 1, "prometheus loki", image="grafana/grafana:10.4.1"),
        _w("loki", "api", 2, image="grafana/loki:2.9.6"),
        _w("jaeger", "api", 1, image="jaegertracing/all-in-one:1.56"),
        _w("policy-webhook", "webhook", 2),
        _w("cert-manager", "worker", 1, image="quay.io/jetstack/cert-manager-controller:v1.14.4"),
    ),
    *_in("kube-system",
        _w("coredns", "dns", 2),
        _w("kube-proxy", "node-agent", 1, image="registry.k8s.io/kube-proxy:v1.29.6"),
        _w("metrics-server", "webhook", 1,
           image="registry.k8s.io/metrics-server/metrics-server:v0.7.1"),
        _w("cluster-autoscaler", "worker", 1,
           image="registry.k8s.io/autoscaling/cluster-autoscaler:v1.29.2"),
    ),
    *_in("analytics",
        _w("analytics-api", "api", 3, "cassandra events-ingest feature-cache"),
        _w("events-ingest", "api", 4, "messaging/kafka cassandra"),
        _w("reporting-service", "api", 2, "analytics-api reports-db orders/order-history"),
        _w("dashboard-ui", "web", 2, "reporting-service"),
        _w("ml-feature-store", "grpc", 2, "cassandra feature-cache"),
        _w("attribution-service", "api", 2, "cassandra analytics-api"),
        _w("ab-testing", "api", 2, "feature-cache edge/feature-flags"),
        _w("metrics-aggregator", "worker", 2, "cassandra messaging/kafka"),
        _w("export-service", "api", 1, "reports-db", bare=True),
        _w("event-consumer", "worker", 3, "messaging/kafka cassandra"),
        _w("nightly-etl", "cronjob", 1, "cassandra orders/orders-db payments/ledger-db"),
        _w("model-trainer", "job", 1, "ml-feature-store"),
        _w("data-quality-checks", "cronjob", 1, "reports-db cassandra"),
        _w("cassandra", "cassandra", 3, size=(2000, 8192)),
        _w("reports-db", "postgres", 1),
        _w("feature-cache", "redis", 1),
    ),
    *_in("search",
        _w("search-api", "api", 4, "elasticsearch search-cache ranking-service "
           "catalog/catalog-service"),
        _w("search-indexer", "worker", 2, "elasticsearch messaging/kafka"),
        _w("autocomplete", "grpc", 2, "search-cache elasticsearch"),
        _w("query-suggestions", "api", 2, "search-api"),
        _w("ranking-service", "grpc", 2, "analytics/ml-feature-store"),
        _w("search-analytics-consumer", "worker", 1, "analytics/events-ingest"),
        _w("reindex-job", "job", 1, "elasticsearch"),
        _w("synonyms-sync", "cronjob", 1, "search-api"),
        _w("search-admin", "web", 1, "search-api ranking-service"),
        _w("elasticsearch", "elasticsearch", 3, size=(1000, 4096)),
        _w("search-cache", "redis", 1),
    ),
)
# fmt: on
