"""The sanitiser keeps service addresses only, without credentials."""

from __future__ import annotations

import pytest

from workbench.domain.addresses import canonical_text, parse_addresses
from workbench.io.sanitise import is_secret_name, sanitise_address, sanitise_value, scan_text


@pytest.mark.parametrize(
    ("name", "value", "kept"),
    [
        ("mongo", "user-db:27017", "user-db:27017"),
        ("ZIPKIN", "zipkin.jaeger.svc.cluster.local", "zipkin.jaeger.svc.cluster.local"),
        (
            "DATABASE_URL",
            "postgres://admin:hunter2@db.data:5432/app?sslmode=disable",
            "postgres://db.data:5432",
        ),
        (
            "SPRING_DATASOURCE_URL",
            "jdbc:mysql://mysql.db:3306/orders?user=sa&password=x",
            "jdbc:mysql://mysql.db:3306",
        ),
        (
            "SQL",
            "jdbc:sqlserver://sql.db:1433;databaseName=x;password=Secr3t",
            "jdbc:sqlserver://sql.db:1433",
        ),
        ("ORA", "jdbc:oracle:thin:@ora.db:1521:ORCL", "jdbc:oracle:thin://ora.db:1521"),
        (
            "MONGODB_URI",
            "mongodb://u:p@m-0.m:27017,m-1.m:27017/db",
            "mongodb://m-0.m:27017,mongodb://m-1.m:27017",
        ),
        (
            "KAFKA_BROKERS",
            "kafka-0.kafka:9092, kafka-1.kafka:9092",
            "kafka-0.kafka:9092,kafka-1.kafka:9092",
        ),
        ("REDIS_URL", "redis://:pass@cache:6379/0", "redis://cache:6379"),
        (
            "AMQP",
            "amqps://guest:guest@rabbitmq.queue.svc:5671/vhost",
            "amqps://rabbitmq.queue.svc:5671",
        ),
        ("DSN", "root:pw@tcp(catalogue-db:3306)/socksdb", "tcp://catalogue-db:3306"),
        ("CATALOGUE_HOST", "catalogue", "catalogue"),
        ("HTTP_PROXY", "http://user:pw@proxy.corp:3128", "http://proxy.corp:3128"),
        ("DB_PASSWORD", "http://user:pw@vault:8200", "http://vault:8200"),
        # a secret's value is kept as a URL whatever marks the scheme
        ("DB_PASSWORD", "jdbc:oracle:thin:@ora.db:1521:ORCL", "jdbc:oracle:thin://ora.db:1521"),
        ("DB_SECRET", "root:pw@tcp(catalogue-db:3306)/socksdb", "tcp://catalogue-db:3306"),
        ("API_TOKEN", "tcp(mysql.db:3306)/orders", "tcp://mysql.db:3306"),
    ],
)
def test_addresses_are_kept_without_credentials(name: str, value: str, kept: str) -> None:
    assert sanitise_address(value, name) == kept


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MYSQL_ROOT_PASSWORD", "fake_password"),
        ("DB_PASSWORD", "hunter2"),
        ("DB_PASSWORD", "db.internal:5432"),  # secret-named: a bare value is never kept
        ("API_TOKEN", "s.abc123"),
        ("JWT", "eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSMeKKF2QT4fw"),
        ("JAVA_OPTS", "-Xms64m -Xmx128m -Dspring.zipkin.enabled=false"),
        ("SESSION_REDIS", "true"),
        ("LOG_DIR", "/tmp/logs"),
        ("VERSION", "1.2.3"),
        ("MAIN", "app.py"),
        ("BASIC_AUTH", "admin:s3cret"),
        ("AUTH", "admin:1234"),
        ("GREETING", "hello world"),
        ("PORT", "8080"),
        ("B64", "dGhpcyBpcyBzZWNyZXQ="),
    ],
)
def test_everything_else_is_dropped(name: str, value: str) -> None:
    assert sanitise_address(value, name) is None


def test_bare_word_without_an_address_name_is_only_a_candidate() -> None:
    outcome = sanitise_value("MYSQL_DATABASE", "socksdb")
    assert outcome.kept is None and outcome.candidate == "socksdb"
    assert sanitise_value("LOG_LEVEL", "debug").candidate is None


def test_secret_names() -> None:
    assert is_secret_name("dbPassword") and is_secret_name("AWS_SECRET_ACCESS_KEY")
    assert is_secret_name("SIGNING_KEY") and not is_secret_name("KEYCLOAK_URL")
    assert not is_secret_name("AUTH_SERVICE_URL") and is_secret_name("AUTH")


def test_canonical_text_parses_back_to_the_same_endpoints() -> None:
    for value in ("jdbc:oracle:thin:@ora:1521:X", "mongodb://a:1,b:2/db", "x.y:80, z:81"):
        eps = parse_addresses(value)
        assert eps is not None
        assert parse_addresses(canonical_text(eps)) == eps


def test_config_files_in_configmaps_are_scanned_per_setting() -> None:
    text = (
        "spring.rabbitmq.host=rabbitmq\n"
        "spring.datasource.password=Sup3rSecret\n"
        "spring.datasource.url=jdbc:postgresql://pg.data:5432/orders?password=x\n"
        'upstream: "http://billing.finance:8080/v1"\n'
        "log.level=info\n"
        "note = see https://wiki.example.com/page?token=abc for details\n"
    )
    found = dict(scan_text("application.properties", text))
    assert found == {
        "application.properties:spring.rabbitmq.host": "rabbitmq",
        "application.properties:spring.datasource.url": "jdbc:postgresql://pg.data:5432",
        "application.properties:upstream": "http://billing.finance:8080",
        "application.properties": "https://wiki.example.com",
    }
    assert dict(scan_text("BACKEND", "orders.shop:80")) == {"BACKEND": "orders.shop:80"}
