"""The one place settings are read: environment variables prefixed COMPUTE_LIMITS_."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from warehouse.accounting import AccountingParams

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("data/warehouse.duckdb")


class Settings(BaseSettings):
    """Defaults run the offline demo from the repository root."""

    model_config = SettingsConfigDict(env_prefix="COMPUTE_LIMITS_", extra="ignore")

    db: Path = Field(default=DEFAULT_DB, description="the DuckDB warehouse file (its data and reports go beside it)")
    data_dir: Path = Field(default=Path("data"), description="PDF cache, crawl outputs and logs")
    reports_dir: Path = Field(default=Path("reports"), description="where the report is written")
    fixtures_dir: Path = Field(default=REPO_ROOT / "fixtures", description="the offline corpus")
    live: bool = Field(default=False, description="talk to arXiv instead of the offline fixtures")
    include_synthetic: bool = Field(default=False, description="also fit the synthetic fixture papers, on their "
                                    "own (never pooled with real points); the offline demo sets it")
    arxiv_base_url: str = "https://export.arxiv.org"
    oai_base_url: str = "https://oaipmh.arxiv.org"
    crawl_source: str = Field(default="oai", description="oai (incremental harvest) or api (search)")
    request_delay: float = Field(default=3.0, description="seconds between requests (>= 3 for arXiv)")
    download_timeout_s: float = Field(default=60.0, description="seconds before a request (a page, a lookup, "
                                      "a PDF) is abandoned")
    download_retries: int = Field(default=4, description="retries of a failed request within a run (429, 5xx, "
                                  "timeouts, with back-off); what still fails is retried by the next run")
    pdf_max_bytes: int = Field(default=64 * 1024 * 1024, description="larger PDFs are refused, not downloaded")
    import_max_bytes: int = Field(default=256 * 1024 * 1024, ge=1, description="reference files (Thompson, "
                                  "Epoch, Papers with Code) larger than this are refused before reading")
    quarantine_after: int = Field(default=5, ge=1, description="failed harvests of the same feed before its "
                                  "failing page is quarantined (a permanent error) and the watermark moves on")
    lookup_batch_size: int = Field(default=100, description="ids per arXiv API lookup request")
    backfill_per_run: int = Field(default=200, description="queued backfill ids each nightly ingest looks up "
                                  "and fetches after its harvest (`compute-limits backfill` queues them)")
    categories: str = "cs.CV,cs.CL,cs.LG,stat.ML,cs.AI,cs.NE"
    page_size: int = 100
    live_lookback_days: int = Field(default=7, description="first live run without --since")
    schedule_cron: str = Field(default="0 2 * * *", description="cron of the deployment ingest/nightly")
    schedule_timezone: str = Field(default="UTC", description="timezone of schedule_cron (IANA name)")
    contact: str = "compute-limits@users.noreply.github.com"
    extract_workers: int = 2
    extract_timeout_s: float = Field(default=120.0, description="seconds per PDF before its worker is killed")
    extract_memory_mb: int = Field(default=1024, description="address-space limit (MB) of an extraction worker")
    task_runner: str = Field(default="threads", description="extraction runs on: threads (local worker "
                             "processes) or dask (a Dask cluster through prefect-dask)")
    dask_address: str | None = Field(default=None, description="tcp://host:port of a Dask scheduler; "
                                     "none with task_runner=dask: a temporary local cluster")
    extract_batch: int = Field(default=25, description="documents per extraction task (the unit of caching)")
    lock_wait_s: float = Field(default=0.0, description="seconds a writer waits for another writer's lock")
    result_storage: str | None = Field(default=None, description="where cached task results persist: a "
                                       "Prefect storage block slug, or none for <data_dir>/prefect-results")
    # compute accounting (docs/ACCOUNTING.md): every assumption of the estimates, overridable by env
    utilization: float = Field(default=0.4, description="hardware-time utilisation (Epoch AI: other models)")
    utilization_llm: float = Field(default=0.3, description="utilisation for large language models (Epoch AI)")
    utilization_spread: float = Field(default=0.1, description="utilisation range: value +- spread")
    pue: float = Field(default=1.58, description="data-centre power usage effectiveness")
    pue_low: float = 1.10
    pue_high: float = 1.58
    grid_kg_per_kwh: float = Field(default=0.429, description="grid carbon intensity, kgCO2e per kWh")
    grid_kg_per_kwh_low: float = 0.2
    grid_kg_per_kwh_high: float = 0.7

    @model_validator(mode="after")
    def _beside_the_warehouse(self) -> Settings:
        """A warehouse elsewhere (``--db``) keeps its PDFs, crawl outputs and report beside it, not in the
        current directory, unless data_dir / reports_dir are given too."""
        if self.db != DEFAULT_DB:
            if "data_dir" not in self.model_fields_set:
                self.data_dir = self.db.parent
            if "reports_dir" not in self.model_fields_set:
                self.reports_dir = self.db.parent / "reports"
        return self

    def accounting(self) -> AccountingParams:
        """The estimate assumptions as the warehouse takes them."""
        return AccountingParams(
            utilization=self.utilization, utilization_llm=self.utilization_llm,
            utilization_spread=self.utilization_spread, pue=self.pue, pue_low=self.pue_low, pue_high=self.pue_high,
            grid_kg_per_kwh=self.grid_kg_per_kwh, grid_kg_per_kwh_low=self.grid_kg_per_kwh_low,
            grid_kg_per_kwh_high=self.grid_kg_per_kwh_high)

    @property
    def pdf_cache(self) -> Path:
        return self.data_dir / "pdfs"

    @property
    def crawl_dir(self) -> Path:
        return self.data_dir / "crawl"


def settings_problem(exc: ValidationError) -> str | None:
    """A Settings validation error as one line naming the environment variable, the value and the rule
    ("COMPUTE_LIMITS_IMPORT_MAX_BYTES='abc': input should be a valid integer"); None for other models."""
    if exc.title != Settings.__name__:
        return None
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(p) for p in error.get("loc", ())) or "settings"
        value = error.get("input")
        shown = f"={value!r}" if isinstance(value, str | int | float) else ""
        parts.append(f"{Settings.model_config.get('env_prefix', '')}{field.upper()}{shown}: "
                     f"{str(error.get('msg', 'invalid')).lower()}")
    return "invalid setting: " + "; ".join(parts)


DASK_MISSING = "--task-runner dask needs the [dask] extra: pip install 'compute-limits[dask]'"


def dask_installed() -> bool:
    """Whether the optional Dask runner's packages (the [dask] extra) are importable."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import prefect_dask  # noqa: F401
    except ImportError:
        return False
    return True
