"""The one place settings are read: environment variables prefixed COMPUTE_LIMITS_."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Defaults run the offline demo from the repository root."""

    model_config = SettingsConfigDict(env_prefix="COMPUTE_LIMITS_", extra="ignore")

    db: Path = Field(default=Path("data/warehouse.duckdb"), description="the DuckDB warehouse file")
    data_dir: Path = Field(default=Path("data"), description="PDF cache, crawl outputs and logs")
    reports_dir: Path = Field(default=Path("reports"), description="where the report is written")
    fixtures_dir: Path = Field(default=REPO_ROOT / "fixtures", description="the offline corpus")
    live: bool = Field(default=False, description="talk to arXiv instead of the offline fixtures")
    arxiv_base_url: str = "https://export.arxiv.org"
    oai_base_url: str = "https://oaipmh.arxiv.org"
    crawl_source: str = Field(default="oai", description="oai (incremental harvest) or api (search)")
    request_delay: float = Field(default=3.0, description="seconds between requests (>= 3 for arXiv)")
    categories: str = "cs.CV,cs.CL,cs.LG,stat.ML,cs.AI,cs.NE"
    page_size: int = 100
    live_lookback_days: int = Field(default=7, description="first live run without --since")
    contact: str = "compute-limits@users.noreply.github.com"
    extract_workers: int = 2
    extract_timeout_s: float = Field(default=120.0, description="seconds per PDF before its worker is killed")
    extract_memory_mb: int = Field(default=1024, description="address-space limit (MB) of an extraction worker")
    utilization: float = 0.4

    @property
    def pdf_cache(self) -> Path:
        return self.data_dir / "pdfs"

    @property
    def crawl_dir(self) -> Path:
        return self.data_dir / "crawl"
