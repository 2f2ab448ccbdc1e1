"""Servers that are down or answer with broken TLS, and kubeconfigs that cannot be used."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
import yaml

from tests.conftest import require
from tests.io.k8s_api_server import FakeApiServer, estate, make_certificate, write_kubeconfig
from workbench.io.cluster_reader import ClusterReader, ClusterUnreachable
from workbench.io.kubeconfig import KubeconfigError, load_kubeconfig

pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    require(shutil.which("openssl") is not None, "the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    return {name: make_certificate(folder, name) for name in ("server", "stranger")}


def read_once(config: Path, context: str = "lab") -> int:
    kc = load_kubeconfig(config)
    objects: list[object] = []
    ClusterReader(kc, kc.context(context), context).read(lambda _s, items: objects.extend(items))
    return len(objects)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_tls_with_the_right_authority_imports(
    tmp_path: Path, certificates: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = certificates["server"]
    with FakeApiServer(estate(1, 3), tls=(cert, key)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url}, ca=cert)
        assert read_once(config) > 6
    assert server.url.startswith("https://127.0.0.1:")


def test_a_certificate_from_another_authority_is_one_clear_error(
    tmp_path: Path, certificates: dict[str, tuple[Path, Path]]
) -> None:
    cert, key = certificates["server"]
    with FakeApiServer(estate(1, 1), tls=(cert, key)) as server:
        trusted = certificates["stranger"][0]
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url}, ca=trusted)
        with pytest.raises(ClusterUnreachable) as err:
            read_once(config)
    message = str(err.value)
    assert "'lab'" in message and server.url in message
    assert message.endswith(
        "TLS certificate verification failed (the server's certificate is not signed by "
        "the certificate authority the kubeconfig names)"
    )
    assert "\n" not in message


def test_a_server_that_does_not_speak_tls_is_one_clear_error(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 1)) as server:
        https = server.url.replace("http://", "https://")
        config = write_kubeconfig(tmp_path / "config", {"lab": https})
        with pytest.raises(ClusterUnreachable) as err:
            read_once(config)
    assert "does not speak TLS" in str(err.value) and https in str(err.value)


def test_a_server_that_is_down_is_one_clear_error(tmp_path: Path) -> None:
    url = f"https://127.0.0.1:{free_port()}"
    config = write_kubeconfig(tmp_path / "config", {"lab": url})
    with pytest.raises(ClusterUnreachable) as err:
        read_once(config)
    assert (
        str(err.value)
        == f"cannot import context 'lab' from {url}: cannot connect (connection refused)"
    )


def test_a_context_whose_credentials_cannot_be_loaded(tmp_path: Path) -> None:
    config = write_kubeconfig(tmp_path / "config", {"lab": "https://127.0.0.1:1"})
    doc = yaml.safe_load(config.read_text())
    doc["users"][0]["user"] = {
        "client-certificate": str(tmp_path / "gone.crt"),
        "client-key": str(tmp_path / "gone.key"),
    }
    config.write_text(yaml.safe_dump(doc))
    with pytest.raises(KubeconfigError) as err:
        read_once(config)
    assert "cannot use context 'lab'" in str(err.value) and "gone.crt" in str(err.value)
