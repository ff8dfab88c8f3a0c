"""The rendered project against a real tracking server: PostgreSQL and ``mlflow server`` with
proxied artifacts, as ``compose.yaml`` runs them, started here without containers."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from test_template_training import create, environment, fresh_clone

pytestmark = pytest.mark.slow

#: Attempts, half a second apart, for the tracking server to answer (it migrates the database).
SERVER_ATTEMPTS = 600


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str = "mlflow"
    database: str = "mlflow"

    @property
    def sqlalchemy_uri(self) -> str:
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{self.database}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs: on PATH, or where Debian installs them."""
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent  # a link into the folder of createdb and the rest
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_major)
    return Path(found[-1]).parent if found else None


def _major(path: str) -> int:
    return int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0


def as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the ``postgres`` account."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' account to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server of its own on 127.0.0.1, on a temporary data folder."""
    folder = postgres_bin()
    if folder is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs Debian's postgresql package)")
    prefix = as_server_user()
    root = Path(tempfile.mkdtemp(prefix="mltool-postgres-"))  # not under pytest's root-only tmp
    data = root / "data"
    if prefix:
        shutil.chown(root, "postgres")
    server = Postgres(port=free_port())
    initdb = [str(folder / "initdb"), "-D", str(data), "--auth=trust", f"--username={server.user}"]
    subprocess.run([*prefix, *initdb, "--encoding=UTF8"], check=True, capture_output=True)
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={root}"
    )
    pg_ctl = [*prefix, str(folder / "pg_ctl"), "-D", str(data), "-l", str(root / "log")]
    started = subprocess.run(
        [*pg_ctl, "-o", options, "-w", "start"], capture_output=True, text=True
    )
    if started.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started: {started.stderr.strip()} {log[-500:]}")
    try:
        createdb = [str(folder / "createdb"), "-h", "127.0.0.1", "-p", str(server.port)]
        subprocess.run(
            [*prefix, *createdb, "-U", server.user, server.database],
            check=True,
            capture_output=True,
        )
        yield server
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def server_command(compose: Path, backend: str, artifacts: Path, port: int) -> list[str]:
    """The tracking service's command of ``compose.yaml``, pointed at this machine's services."""
    command = list(yaml.safe_load(compose.read_text())["services"]["tracking"]["command"])
    here = {
        "--backend-store-uri": backend,
        "--artifacts-destination": str(artifacts),
        "--host": "127.0.0.1",
        "--port": str(port),
    }
    for flag, value in here.items():
        command[command.index(flag) + 1] = value
    assert command[:2] == ["mlflow", "server"]
    return [sys.executable, "-m", "mlflow", *command[1:], "--workers", "1"]


@dataclass(frozen=True)
class TrackingServer:
    uri: str
    artifacts: Path
    postgres: Postgres


@pytest.fixture(scope="module")
def tracking_server(
    postgres: Postgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TrackingServer]:
    root = tmp_path_factory.mktemp("tracking-server")
    project = create(root, "digit-net")
    port = free_port()
    artifacts = root / "mlartifacts"
    command = server_command(project / "compose.yaml", postgres.sqlalchemy_uri, artifacts, port)
    log = (root / "server.log").open("w")
    server = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    uri = f"http://127.0.0.1:{port}"
    try:
        for _ in range(SERVER_ATTEMPTS):
            if server.poll() is not None or _healthy(uri):
                break
            time.sleep(0.5)
        if not _healthy(uri):
            pytest.fail(
                f"mlflow server did not answer:\n{(root / 'server.log').read_text()[-3000:]}"
            )
        yield TrackingServer(uri, artifacts, postgres)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def _healthy(uri: str) -> bool:
    try:
        with urllib.request.urlopen(f"{uri}/health", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def mlflow_run(clone: Path, tracking_uri: str, *params: str) -> None:
    env = {**environment(clone), "MLFLOW_TRACKING_URI": tracking_uri}
    args = [sys.executable, "-m", "mlflow", "run", ".", "--env-manager", "local"]
    args += ["--experiment-name", "shared", *(f"-P{p}" for p in params)]
    done = subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def only_run(tracking_uri: str):  # type: ignore[no-untyped-def]
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    experiment = client.get_experiment_by_name("shared")
    (run,) = client.search_runs([experiment.experiment_id])
    return client, run


@pytest.fixture(scope="module")
def trained(tracking_server: TrackingServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone trained once against the tracking server and once against ``mlflow.db``."""
    root = tmp_path_factory.mktemp("shared")
    clone = fresh_clone(create(root, "digit-net"), root / "clone")
    mlflow_run(clone, tracking_server.uri, "seed=9", "max_epochs=2")
    mlflow_run(clone, environment(clone)["MLFLOW_TRACKING_URI"], "seed=9", "max_epochs=2")
    return clone


def test_run_is_recorded_in_postgresql(tracking_server: TrackingServer, trained: Path) -> None:
    import psycopg2

    _, run = only_run(tracking_server.uri)
    assert run.info.status == "FINISHED"
    weights = run.data.tags["fingerprint.weights_sha256"]
    database = tracking_server.postgres
    with (
        psycopg2.connect(
            host="127.0.0.1", port=database.port, user=database.user, dbname=database.database
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT value FROM tags WHERE run_uuid = %s AND key = 'fingerprint.weights_sha256'",
            (run.info.run_id,),
        )
        assert cursor.fetchall() == [(weights,)]


def test_the_server_records_the_fingerprint_a_local_store_records(
    tracking_server: TrackingServer, trained: Path
) -> None:
    _, shared = only_run(tracking_server.uri)
    _, local = only_run(environment(trained)["MLFLOW_TRACKING_URI"])
    for tag in ("weights_sha256", "data_sha256", "world_size", "seed"):
        assert shared.data.tags[f"fingerprint.{tag}"] == local.data.tags[f"fingerprint.{tag}"], tag


def test_logged_model_and_fingerprint_come_back_through_the_server(
    tracking_server: TrackingServer,
    trained: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mlflow

    client, run = only_run(tracking_server.uri)
    assert run.info.artifact_uri.startswith("mlflow-artifacts:")  # proxied by the server
    folder = Path(client.download_artifacts(run.info.run_id, "fingerprint", str(tmp_path)))
    digests = json.loads((folder / "tensors.json").read_text())["tensors"]
    stored = {(d["sha256"], tuple(d["shape"])) for d in digests}
    assert sorted(tracking_server.artifacts.rglob("tensors.json"))  # in the server's store

    (model,) = client.search_logged_models(
        [run.info.experiment_id], filter_string=f"source_run_id = '{run.info.run_id}'"
    )
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_server.uri)
    served = mlflow.pyfunc.load_model(f"models:/{model.model_id}")
    net = served.unwrap_python_model().net
    for tensor in net.state_dict().values():  # the logged model holds the fingerprinted weights
        digest = hashlib.sha256(tensor.detach().cpu().contiguous().numpy().tobytes()).hexdigest()
        assert (digest, tuple(tensor.shape)) in stored
    prediction = served.predict(np.zeros((2, 8, 8), dtype=np.float32))
    assert list(prediction.columns[:2]) == ["class", "probability_0"]
    assert len(prediction) == 2
