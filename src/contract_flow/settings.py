"""Settings, typed, in one place: read from a TOML file, then overridden by the environment.

The file is `--config` on the command line, else `CONTRACT_FLOW_CONFIG`, else `default.toml` in the site's
configuration directory (`CONTRACT_FLOW_CONFIG_DIR`), else the packaged `contract_flow/configs/default.toml`
(see `contract_flow.configfiles`). Any setting can be overridden by `CONTRACT_FLOW_<NAME>` (e.g.
`CONTRACT_FLOW_DATABASE_URL`).

The embedded default keeps its files (the SQLite database, the filesystem broker's queue, caught emails) in
`data_dir`: `CONTRACT_FLOW_DATA_DIR`, else the user's data directory (`$XDG_DATA_HOME/contract-flow`, else
`~/.local/share/contract-flow`), never the directory a command happens to run in. `database_url` defaults to
`sqlite:///<data_dir>/contract-flow.sqlite`, an absolute path.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from contract_flow import configfiles

DEVELOPMENT_SECRET = "development-only-secret-change-me"
DATABASE_FILE = "contract-flow.sqlite"


def user_data_dir() -> Path:
    """The XDG base directory specification's data home for contract-flow (where `pip install --user` users
    expect an application's files): `$XDG_DATA_HOME/contract-flow`, else `~/.local/share/contract-flow`."""
    base = Path(os.environ.get("XDG_DATA_HOME") or "")
    if not base.is_absolute():  # the specification: a relative XDG_DATA_HOME is invalid and ignored
        base = Path.home() / ".local" / "share"
    return base / "contract-flow"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DATABASE_FILE}"


class RetentionSettings(BaseModel):
    """How long a case's personal data is kept once it is no longer needed (issue 16, item 6; domain/retention.py
    decides what is due on a day, services/retention.py anonymises it). The reasoning and sources of each default
    are in docs/architecture.md, "Retention and the data subject's rights"."""

    model_config = ConfigDict(extra="forbid")

    #: A candidate who never signed a contract (the case withdrawn or closed without one): kept this many months
    #: after leaving, then anonymised. 24: the CNIL's recruitment guidance (référentiel « gestion du personnel »,
    #: candidates not retained: at most 2 years after the last contact), a CFA's admission being a selection.
    candidate_months: int = Field(default=24, ge=1, le=120)
    #: A case whose contract was signed: its people kept this many years after the contract's end (its last
    #: day, or the day it was broken or cancelled). 5: the employer's and the CFA's legal and financial
    #: obligations on the contract (Code civil 2224: actions prescribed after 5 years) and the funding audits
    #: (the OPCO's control of the costs it paid, L6332-1 and following); contracts signed from 1 July 2020 to
    #: 31 December 2023 are kept at least until 31 December 2031 whatever this says (the CERFA FA13's notice
    #: 51649#08: NextGenerationEU funding, EU financial regulation 2018/1046 art. 132).
    contract_years: int = Field(default=5, ge=1, le=30)
    #: The daily job anonymises at most this many cases a run (one unit of work each); the rest the next day.
    batch: int = Field(default=500, ge=1, le=100_000)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONTRACT_FLOW_", extra="forbid")

    environment: Literal["development", "test", "production"] = "development"
    #: The embedded default's files; made absolute (from the current directory) when the settings are read.
    data_dir: Path = Field(default_factory=user_data_dir)
    #: A relative SQLite path would follow the current directory: the default is absolute, under data_dir.
    database_url: str = Field(default_factory=lambda data: sqlite_url(data["data_dir"]))
    #: SQLite waits this long for another writer before giving up (milliseconds).
    sqlite_busy_timeout_ms: int = Field(default=10_000, ge=0)
    #: Signs the session cookies. The development secret is public: refused in production, and `serve`/`up`
    #: refuse it on any address but loopback (anyone could forge a session with it).
    secret_key: str = DEVELOPMENT_SECRET
    #: Secrets that signed cookies before `secret_key` replaced them, oldest first: a cookie signed with one is
    #: still accepted and signed again with `secret_key`, so a rotation logs nobody out. Drop an old secret once
    #: the session lifetime (12 hours) has passed since the rotation. Environment: a JSON list.
    previous_secret_keys: list[str] = Field(default_factory=list)
    #: An API token issued now is refused after this many days (`contract-flow user token` issues a new one).
    api_token_days: int = Field(default=90, ge=1, le=3650)
    #: argon2id cost of web passwords: "standard" is RFC 9106's low-memory profile (64 MiB, 3 passes, about
    #: 0.1 s a hash); "cheapest" is for test suites that create hundreds of users, refused in production.
    password_hash_cost: Literal["standard", "cheapest"] = "standard"

    # Login throttling (docs/operations.md, "Logins"; domain/logins.py): failures in a row lock an account (the
    # email as typed, known or not) or a client address for a window doubling with each further failure.
    login_max_failures: int = Field(default=5, ge=1)
    #: Higher than per account: a CFA's staff may share one address (a NAT) and each mistype now and then.
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_lockout_seconds: float = Field(default=60.0, gt=0)
    login_lockout_max_seconds: float = Field(default=3600.0, gt=0)
    #: Failures are forgotten when the last one is older than this (a success forgets them at once).
    login_failure_memory_seconds: float = Field(default=86400.0, gt=0)
    #: Password verifications run on their own threads, at a lower priority, with a bounded queue: beyond it the
    #: login answers 429 (adapters/passwords.py).
    login_verify_workers: int = Field(default=1, ge=1)
    login_verify_queue: int = Field(default=8, ge=1)
    login_verify_nice: int = Field(default=19, ge=0, le=19)
    #: Password verifications started per second at most (0: no rate): beyond, logins answer 429 at once.
    login_verify_per_second: float = Field(default=2.0, ge=0, le=1000, allow_inf_nan=False)
    #: Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; empty: the peer is the
    #: client (a proxy then hides every client behind its own address).
    trusted_proxies: list[str] = Field(default_factory=list)
    timezone: str = "Europe/Paris"
    #: The site's file when its configuration directory has one, else the packaged one (configfiles.find).
    rules_file: Path = Field(default_factory=lambda: configfiles.find(configfiles.RULES))
    reminders_file: Path = Field(default_factory=lambda: configfiles.find(configfiles.REMINDERS))
    config_file: Path | None = None
    #: Language of messages to people whose own is not known (templates exist in "fr" and "en").
    default_language: Literal["fr", "en"] = "fr"
    #: The CFA of the users and programmes created without naming one (issue 15, item 5): a single-CFA
    #: installation never names a CFA anywhere; its staff see its programmes. A code: letters, digits, '-', '_'.
    default_cfa: str = Field(default="default", min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    #: The address people open the pages at, for the links emails carry (a new user's login link); the pages
    #: use the address they were opened at.
    public_url: str = "http://127.0.0.1:8000"

    # Email (SMTP): where reminders are handed over for delivery.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = "contract-flow <no-reply@contract-flow.localhost>"
    #: Right-hand side of the Message-IDs, which are derived from each reminder's idempotency key.
    message_id_domain: str = "contract-flow.localhost"

    # Celery: the broker carries send tasks only; the ledger in the database is the source of truth.
    #: "filesystem://" needs no server (embedded default); production uses Redis.
    broker_url: str = "filesystem://"
    broker_dir: Path = Field(default_factory=lambda data: data["data_dir"] / "broker")
    #: Redis for the beat lock (exactly one beat runs); None in the embedded default (one process).
    redis_url: str | None = None
    beat_lock_timeout_seconds: int = Field(default=60, ge=5)
    #: Kombu's Redis visibility timeout: a task taken by a worker that died is delivered again after this.
    broker_visibility_timeout_seconds: int = Field(default=600, ge=10)
    worker_concurrency: int = Field(default=2, ge=1)
    sweep_interval_seconds: float = Field(default=60.0, gt=0)
    #: A CSV import of more rows than this is a job run by a worker, with a progress bar in the page and the CLI
    #: (about a millisecond a row: 2,000 rows answer within a couple of seconds, 37,000 took 33 s in a request).
    import_background_rows: int = Field(default=2000, ge=1)

    # The Tableau de bord de l'apprentissage (TDB, PUBLIC-SYSTEMS.md §2; issue 16): the CFA's monthly feed of its
    # learners (services/tdb.py). Without a URL and a key for a CFA, `tdb push` refuses naming these settings;
    # `tdb export` (the file a CFA uploads by hand) needs neither.
    #: The TDB's base URL (its host, e.g. https://cfas.apprentissage.beta.gouv.fr): it receives
    #: POST /api/v3/dossiers-apprenants (or .../test, tdb_endpoint). None: no push.
    tdb_url: str | None = None
    #: Each CFA's key, generated on the CFA's TDB account, by CFA code: sent as `Authorization: Bearer`, never
    #: printed nor logged. Environment: a JSON object, CONTRACT_FLOW_TDB_KEYS='{"imt-mines-ales": "..."}'.
    tdb_keys: dict[str, SecretStr] = Field(default_factory=dict)
    #: "test": the TDB's test endpoint (it checks the same body and stores nothing).
    tdb_endpoint: Literal["prod", "test"] = "prod"
    #: One request's time limit (each batch of at most 2,000 learners).
    tdb_timeout_seconds: float = Field(default=60.0, gt=0)
    #: A batch answered 5xx or timed out is sent again this many times, after tdb_backoff_seconds, doubling;
    #: a 4xx (a bad key, a body refused) never is.
    tdb_retries: int = Field(default=3, ge=0, le=10)
    tdb_backoff_seconds: float = Field(default=2.0, ge=0)
    #: The monthly push's window: the TDB asks for the learners between the 1st and the 5th of each month. The beat
    #: pushes each CFA once a month, on the first of these days it runs (a failed push is not retried by the beat:
    #: staff see it and push again from the page).
    tdb_push_first_day: int = Field(default=1, ge=1, le=28)
    #: Learners a request (the TDB takes at most 2,000).
    tdb_batch_size: int = Field(default=2000, ge=1, le=2000)
    tdb_push_last_day: int = Field(default=5, ge=1, le=28)
    #: The retention periods (the [retention] table of the settings file; environment:
    #: CONTRACT_FLOW_RETENTION='{"candidate_months": 24, "contract_years": 5}').
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @model_validator(mode="before")
    @classmethod
    def _absolute_data_dir(cls, values: Any) -> Any:
        """data_dir is fixed once, absolute: the defaults derived from it must not move with the current
        directory (a relative `CONTRACT_FLOW_DATA_DIR=var` is the checkout's var/ when `make run` sets it)."""
        if isinstance(values, dict) and values.get("data_dir"):
            return {**values, "data_dir": Path(values["data_dir"]).expanduser().resolve()}
        return values

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "secret_key: set CONTRACT_FLOW_SECRET_KEY; the development secret is refused in production")
        if self.environment == "production" and DEVELOPMENT_SECRET in self.previous_secret_keys:
            raise ValueError("previous_secret_keys: the development secret is public: a cookie signed with it "
                             "is forgeable; it is refused in production")
        if self.environment == "production" and self.password_hash_cost != "standard":
            raise ValueError("password_hash_cost: only 'standard' is allowed in production")
        return self

    @model_validator(mode="after")
    def _tdb_window(self) -> Settings:
        if self.tdb_push_last_day < self.tdb_push_first_day:
            raise ValueError("tdb_push_last_day: on or after tdb_push_first_day (the monthly push's window)")
        return self

    @model_validator(mode="after")
    def _login_throttling(self) -> Settings:
        if self.login_lockout_max_seconds < self.login_lockout_seconds:
            raise ValueError("login_lockout_max_seconds: at least login_lockout_seconds (the window only grows)")
        if self.login_verify_queue < self.login_verify_workers:
            raise ValueError("login_verify_queue: at least login_verify_workers (each running one counts)")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {proxy!r} is not an IP address or network") from None
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = config_path()
        # Later sources lose: explicit arguments, then the environment, then the file.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))


def config_path() -> Path:
    """The settings file: `--config` / `CONTRACT_FLOW_CONFIG`, else the site's default.toml, else the package's.

    A bare file name that is not a file in the current directory (`production.toml`) is looked up like the
    other configuration files: the site's directory, then the package's (an installed package's production.toml
    has no path worth typing).
    """
    chosen = os.environ.get("CONTRACT_FLOW_CONFIG")
    if not chosen:
        return configfiles.find(configfiles.SETTINGS)
    path = Path(chosen)
    if path.name == chosen and not path.is_file():
        return configfiles.find(chosen)
    return path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    path = config_path()
    if not path.is_file():
        raise FileNotFoundError(f"config file {path} not found (set --config or CONTRACT_FLOW_CONFIG)")
    return Settings(config_file=path)
