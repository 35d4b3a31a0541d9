"""Start and stop the tests' OpenID Connect provider (tests/sso/provider/), a real server in its own process."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
PORTS = range(8610, 8620)  # this helper's port range (another test run may hold some)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for the test provider")


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class ProviderServer:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.process = None
        self.port = None
        self.env = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}/o"

    def _manage(self, *args: str, stdin: str = "") -> None:
        subprocess.run([sys.executable, "-m", "django", *args], cwd=PROVIDER_DIR, env=self.env,
                       input=stdin, text=True, check=True, capture_output=True)

    def start(self) -> "ProviderServer":
        for _attempt in range(3):  # a port found free can be taken before gunicorn binds it
            self.port = _free_port()
            self.env = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
                "DJANGO_SETTINGS_MODULE": "oidcprovider.settings",
                "PYTHONPATH": str(PROVIDER_DIR),
                "PROVIDER_DATABASE": str(self.workdir / f"provider-{self.port}.sqlite3"),
                "PROVIDER_ISSUER": self.issuer,
                "PROVIDER_RSA_KEY": self.env["PROVIDER_RSA_KEY"] if self.env else _rsa_key_pem(),
            }
            self._manage("migrate", "--run-syncdb", "--verbosity", "0")
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
                 "--log-level", "warning", "oidcprovider.wsgi"],
                cwd=PROVIDER_DIR, env=self.env)
            if self._wait_until_up():
                return self
            self.stop()
        raise RuntimeError("The test OpenID Connect provider did not start")

    def _wait_until_up(self, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5).ok:
                    return True
            except requests.RequestException:  # not listening yet, or its workers still starting
                pass
            time.sleep(0.1)
        return False

    def setup(self, *, users=(), clients=()) -> None:
        """Add or change users ({username, password, email, first_name, last_name, groups, amr}) and clients."""
        self._manage("provider_setup", stdin=json.dumps({"users": list(users), "clients": list(clients)}))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
