-- 0004: compute accounting. The catalog gains every precision's peak, memory, TDP and counting units;
-- dated prices; analysts' overrides; every estimate per run (hardware burden, hardware time, operation
-- count, 6ND, cost, energy, CO2) with low/high and its assumptions; checks against Thompson and Epoch.

DROP VIEW IF EXISTS v_source_comparison;
DROP VIEW IF EXISTS v_benchmark_points;
DROP VIEW IF EXISTS v_paper_compute;
DROP VIEW IF EXISTS v_training_compute;
DROP TABLE hardware;
DROP TABLE compute_estimates;

-- Peaks in FLOP/s per chip, dense (no 2:4 sparsity). Seeded from warehouse/data/hardware.csv.
CREATE TABLE hardware (
    accelerator        VARCHAR PRIMARY KEY,    -- canonical id, e.g. nvidia-v100
    name               VARCHAR NOT NULL,
    vendor             VARCHAR,
    kind               VARCHAR,                -- gpu | tpu | cpu | asic
    released           DATE,
    fp32_flops         DOUBLE,                 -- FP32, non-tensor
    tf32_flops         DOUBLE,                 -- TF32 tensor
    tensor16_flops     DOUBLE,                 -- FP16/BF16 tensor / matrix unit
    fp8_flops          DOUBLE,
    memory_gb          DOUBLE,
    tdp_w              DOUBLE,                 -- per chip
    chips_per_device   DOUBLE NOT NULL,        -- chips on the board / Cloud TPU device the product names
    pod_chips          DOUBLE,                 -- chips in a full TPU pod
    thompson_flops     DOUBLE,                 -- what Thompson et al. credit per unit they count
    thompson_unit      VARCHAR,                -- chip | board | device
    aliases            VARCHAR[],
    source             VARCHAR NOT NULL
);

-- Dated cloud list prices per chip-hour (warehouse/data/prices.csv).
CREATE TABLE prices (
    accelerator        VARCHAR NOT NULL,
    effective_date     DATE NOT NULL,
    usd_per_chip_hour  DOUBLE NOT NULL,
    provider           VARCHAR NOT NULL,
    offer              VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    PRIMARY KEY (accelerator, effective_date, provider, offer)
);

-- Chips per reported counting unit (the extractor's count_unit): TPU cores and devices converted.
CREATE TABLE count_units (
    count_unit         VARCHAR PRIMARY KEY,
    chips_per_unit     DOUBLE NOT NULL,
    rule               VARCHAR NOT NULL
);
INSERT INTO count_units VALUES
    ('gpu', 1, 'one GPU (a K80 board counts as two)'),
    ('tpu_chip', 1, 'one TPU chip'),
    ('tpu_core', 0.5, 'TPU v2/v3/v4: 2 TensorCores per chip'),
    ('tpu_device', 4, 'Cloud TPU v2/v3/v4 device: 4 chips, 8 cores'),
    ('cpu', 1, 'one CPU');

-- Every hardware name met in a source and what it resolved to (unknown names are reported here).
CREATE TABLE hardware_names (
    name               VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,       -- extracted | thompson | epoch | override
    accelerator        VARCHAR,
    chips_per_unit     DOUBLE,
    status             VARCHAR NOT NULL,       -- resolved | ambiguous | unknown
    rule               VARCHAR NOT NULL,
    occurrences        INTEGER NOT NULL,
    PRIMARY KEY (name, source)
);

-- Analysts' corrections. The newest override of a (paper, phase/run, field) wins; older ones are
-- kept with superseded_by. Extraction never writes here, so overrides survive re-ingest.
CREATE TABLE overrides (
    override_id        VARCHAR PRIMARY KEY,
    paper_id           VARCHAR NOT NULL,
    target             VARCHAR NOT NULL,       -- run | paper | result
    phase              VARCHAR,                -- run fields: training | pretraining | finetuning
    run_id             VARCHAR,                -- run fields: one extracted run, else the phase's main run
    field              VARCHAR NOT NULL,
    value_text         VARCHAR NOT NULL,       -- as given
    value              DOUBLE,                 -- numeric fields, parsed
    resolved           VARCHAR,                -- accelerator: the catalog id the name resolved to
    note               VARCHAR NOT NULL,
    author             VARCHAR NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    superseded_by      VARCHAR
);

-- Every estimate per run (or per paper for operation counts), with its method, inputs and range.
CREATE TABLE compute_estimates (
    estimate_id        VARCHAR PRIMARY KEY,
    run_id             VARCHAR,
    paper_id           VARCHAR NOT NULL,
    phase              VARCHAR NOT NULL,
    method             VARCHAR NOT NULL,       -- hardware_burden | hardware_time | operation_count |
                                               -- parameter_tokens | cost | energy | co2
    unit               VARCHAR NOT NULL,       -- FLOP | USD | kWh | kgCO2e
    value              DOUBLE NOT NULL,
    value_low          DOUBLE NOT NULL,
    value_high         DOUBLE NOT NULL,
    headline           BOOLEAN NOT NULL,       -- the paper's preferred training-compute estimate
    peak_flops         DOUBLE,
    peak_basis         VARCHAR,
    chips              DOUBLE,
    seconds            DOUBLE,
    utilization        DOUBLE,
    inputs             JSON NOT NULL,          -- every number used, with where it came from
    assumptions        VARCHAR NOT NULL,
    sources            VARCHAR NOT NULL        -- extracted | override | extracted+override
);

-- Thompson et al.'s hardware burden recomputed through this catalog, per model row.
CREATE TABLE check_thompson_burden (
    model_id           VARCHAR PRIMARY KEY,
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    benchmark          VARCHAR NOT NULL,
    name               VARCHAR,
    published          DOUBLE NOT NULL,
    recomputed         DOUBLE,
    ratio              DOUBLE,
    within_10pct       BOOLEAN NOT NULL,
    terms              JSON NOT NULL,          -- per (phase, processor): name, resolved id, amount, peak, seconds
    reason             VARCHAR                 -- why a row does not match, when known
);

-- Epoch AI rows with hardware, quantity and hours: the hardware-time estimate beside their compute.
CREATE TABLE check_epoch_compute (
    model_id           VARCHAR PRIMARY KEY,
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    model              VARCHAR,
    hardware           VARCHAR NOT NULL,
    accelerator        VARCHAR,
    quantity           DOUBLE NOT NULL,
    hours              DOUBLE NOT NULL,
    precision          VARCHAR,
    peak_basis         VARCHAR,
    utilization        DOUBLE,
    estimate           DOUBLE,
    estimate_low       DOUBLE,
    estimate_high      DOUBLE,
    epoch_compute      DOUBLE,
    epoch_method       VARCHAR,
    ratio              DOUBLE,
    reason             VARCHAR
);
