//! Scenarios: the TOML a post embeds, with every modelling assumption as a named parameter.
//!
//! Defaults are MODEL.md §4.2 and §5; where MODEL.md marks a value \[assumption\] the doc comment
//! says so, so a reader knows which numbers to argue with.
//!
//! The scheduler's host-state view (`scheduler.cache`) is an axis of the scenario, applied to
//! every strategy alike, and its default is the same view for all: `persistent`, the
//! per-process `HostState` cache of Ocata and Pike. The post argues about *where the claim
//! happens*; the view is a separate design choice that Queens changed eight months after the
//! post (commit c98ac6adc5, bug 1742827). Giving each strategy its own release's view, as the
//! engine once did, credited or charged the claim's location with the view's effect (proposal
//! and Queens differ mostly by their views under a burst). `persistent` is the view the post and
//! the summit it answers were written against (its "avoid `consume_from_request()` on a host that
//! is not built on" only matters in a persistent view); `per_request` shows the other world,
//! and `as_released` keeps each release's own view for reproducing the releases as shipped.
//! The view is printed under every table. Unknown keys are an error naming the
//! key, with a "did you mean" suggestion and the line and column where the TOML parser knows it.

use serde::{Deserialize, Serialize};

/// The strategies, by the names scenarios use.
pub const STRATEGY_NAMES: [&str; 7] =
    ["legacy", "pike", "summit_same_cell", "summit_any_cell", "proposal", "queens", "oracle"];

/// The most values a sweep may have.
pub const MAX_SWEEP_VALUES: usize = 100;

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// Optional title, used by the renderers.
    pub title: Option<String>,
    /// Which strategies to compare; all of them by default.
    pub strategies: Vec<String>,
    /// The master seed; replication `i` uses seed `seed + i`.
    pub seed: u64,
    /// How many seeds to replicate over (MODEL.md §6 asks for at least 20).
    pub seeds: u32,
    pub cloud: Cloud,
    pub workload: Workload,
    pub scheduler: SchedulerCfg,
    pub compute: ComputeCfg,
    pub placement: PlacementCfg,
    pub latency: LatencyCfg,
    pub sweep: Option<Sweep>,
    pub report: ReportCfg,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            title: None,
            strategies: STRATEGY_NAMES.iter().map(|s| s.to_string()).collect(),
            seed: 1,
            seeds: 20,
            cloud: Cloud::default(),
            workload: Workload::default(),
            scheduler: SchedulerCfg::default(),
            compute: ComputeCfg::default(),
            placement: PlacementCfg::default(),
            latency: LatencyCfg::default(),
            sweep: None,
            report: ReportCfg::default(),
        }
    }
}

/// The hosts. Default shape 48 vCPU / 256 GiB / 2000 GB (MODEL.md §5).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Cloud {
    pub cells: u32,
    /// Total hosts, spread evenly over the cells in contiguous blocks.
    pub hosts: u32,
    pub vcpu: u64,
    pub memory_mb: u64,
    pub disk_gb: u64,
    pub reserved_memory_mb: u64,
    pub reserved_vcpu: u64,
    pub reserved_disk_gb: u64,
    pub cpu_allocation_ratio: f64,
    pub ram_allocation_ratio: f64,
    pub disk_allocation_ratio: f64,
    /// Initial fill: instances drawn from the flavour mix are preloaded on each host until the
    /// next one would take some resource past this fraction of its capacity (RAM in MODEL.md;
    /// with the default shapes and flavours disk binds first). \[assumption\] 0.7.
    pub fill: f64,
}

impl Default for Cloud {
    fn default() -> Self {
        Cloud {
            cells: 1,
            hosts: 1000,
            vcpu: 48,
            memory_mb: 262_144,
            disk_gb: 2000,
            reserved_memory_mb: 512,
            reserved_vcpu: 0,
            reserved_disk_gb: 0,
            cpu_allocation_ratio: 16.0,
            ram_allocation_ratio: 1.5,
            disk_allocation_ratio: 1.0,
            fill: 0.7,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Requests arrive as a Poisson process with `rate` per second.
    Poisson,
    /// Requests arrive in groups of `burst` at one instant; groups are a Poisson process
    /// whose mean request rate is still `rate`.
    Burst,
}

/// A flavour and its weight in the mix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Flavor {
    pub name: String,
    pub vcpu: u64,
    pub memory_mb: u64,
    pub disk_gb: u64,
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// The requests. \[assumption\] throughout, except the flavour sizes (MODEL.md §5).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Workload {
    pub arrival: Arrival,
    /// Requests per second.
    pub rate: f64,
    /// How many boot requests in the run.
    pub requests: u32,
    /// Group size when `arrival = "burst"`.
    pub burst: u32,
    /// Mean instance lifetime in seconds, exponentially distributed from its own random stream
    /// (the same lifetimes for every strategy under a seed); 0 keeps every instance to the end.
    /// With lifetimes a cloud reaches a steady state: about `rate × lifetime_mean_s` instances
    /// of this workload on top of the `cloud.fill`. \[assumption\] MODEL.md suggests 1 h.
    pub lifetime_mean_s: f64,
    /// Fraction of requests that are multi-create (`num_instances > 1`).
    pub multi_create_ratio: f64,
    /// `num_instances` of a multi-create request.
    pub multi_create_num: u32,
    pub flavors: Vec<Flavor>,
}

impl Default for Workload {
    fn default() -> Self {
        let f = |name: &str, vcpu, memory_mb, disk_gb, weight| Flavor {
            name: name.to_string(),
            vcpu,
            memory_mb,
            disk_gb,
            weight,
        };
        Workload {
            arrival: Arrival::Poisson,
            rate: 2.0,
            requests: 200,
            burst: 1,
            lifetime_mean_s: 0.0,
            multi_create_ratio: 0.1,
            multi_create_num: 5,
            flavors: vec![
                f("m1.tiny", 1, 512, 1, 10),
                f("m1.small", 1, 2048, 20, 35),
                f("m1.medium", 2, 4096, 40, 30),
                f("m1.large", 4, 8192, 80, 20),
                f("m1.xlarge", 8, 16384, 160, 5),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WeigherPolicy {
    /// Nova's defaults: RAM +1, disk +1, io_ops −1.
    Spread,
    /// RAM −1 and disk −1, io_ops 0 (\[assumption\]: how an operator configures stacking).
    Stack,
    /// All weights tied; the host is a uniform choice among the candidates.
    Random,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CacheMode {
    /// Whatever the strategy's release did (persistent before Queens, per-request after).
    #[serde(alias = "strategy")]
    AsReleased,
    Persistent,
    PerRequest,
    Periodic,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Dispatch {
    RoundRobin,
    Random,
}

/// The filter scheduler (MODEL.md §3).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulerCfg {
    /// Scheduler processes, each with its own view and RNG stream. Default 3 (HA).
    pub workers: u32,
    pub host_subset_size: u32,
    pub weigher: WeigherPolicy,
    /// Overrides for the weigher multipliers the policy sets.
    pub ram_weight_multiplier: Option<f64>,
    pub disk_weight_multiplier: Option<f64>,
    pub io_ops_weight_multiplier: Option<f64>,
    pub max_attempts: u32,
    /// The caller's number of alternates (`proposal` only); default `max_attempts − 1`.
    pub alternates: Option<u32>,
    pub cache: CacheMode,
    /// `[scheduler]/periodic_task_interval` for the periodic cache, seconds.
    pub cache_refresh_s: f64,
    pub max_placement_results: u32,
    pub randomize_allocation_candidates: bool,
    pub shuffle_best_same_weighed_hosts: bool,
    /// How the RPC queue spreads requests over workers.
    pub dispatch: Dispatch,
    /// Ocata's CoreFilter (off by default, so vCPU is not enforced by `legacy`).
    pub core_filter: bool,
    /// Rocky's BuildFailureWeigher multiplier (Rocky's default is 1e6); 0 leaves it out.
    pub build_failure_weight_multiplier: f64,
    /// Pike's `_get_host_states` drops every cached host missing from the request's candidates ("dead nodes"),
    /// so a request interleaved with another in the same worker can lose the hosts it just read (bug 1742827).
    /// Off by default: Pike's behaviour as shipped, for the bug-reproduction scenario; persistent view only.
    pub evict_unseen_hosts: bool,
}

impl Default for SchedulerCfg {
    fn default() -> Self {
        SchedulerCfg {
            workers: 3,
            host_subset_size: 1,
            weigher: WeigherPolicy::Spread,
            ram_weight_multiplier: None,
            disk_weight_multiplier: None,
            io_ops_weight_multiplier: None,
            max_attempts: 3,
            alternates: None,
            cache: CacheMode::Persistent,
            cache_refresh_s: 60.0,
            max_placement_results: 1000,
            randomize_allocation_candidates: false,
            shuffle_best_same_weighed_hosts: false,
            dispatch: Dispatch::RoundRobin,
            core_filter: false,
            build_failure_weight_multiplier: 0.0,
            evict_unseen_hosts: false,
        }
    }
}

/// The computes (MODEL.md §3.6, §4.2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ComputeCfg {
    /// Probability that a spawn fails, independently per attempt. \[assumption\] 0.02.
    pub build_failure: f64,
    /// `max_concurrent_builds`; 0 means unlimited.
    pub max_concurrent_builds: u32,
    /// Spawn time is lognormal with this median (s) and shape. \[assumption\] 15 s, 0.5.
    pub spawn_median_s: f64,
    pub spawn_sigma: f64,
    /// `update_available_resource` period, seconds, with a random phase per host.
    pub periodic_interval_s: f64,
    /// Fraction of hosts on which every spawn fails (MODEL.md's "bad host" mode), drawn per
    /// host from its own stream. Their failures come on top of `build_failure`.
    pub bad_host_fraction: f64,
    /// The compute deletes a failed build's allocation before the retry: the fix for bug
    /// 1712718 (in 16.0.0rc2). `false` reproduces the leak, which the at-rest invariant catches.
    pub delete_allocation_on_failure: bool,
}

impl Default for ComputeCfg {
    fn default() -> Self {
        ComputeCfg {
            build_failure: 0.02,
            max_concurrent_builds: 10,
            spawn_median_s: 15.0,
            spawn_sigma: 0.5,
            periodic_interval_s: 60.0,
            bad_host_fraction: 0.0,
            delete_allocation_on_failure: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RetryPolicy {
    /// Each strategy uses the client/server retries of the release it models.
    PerRelease,
    /// 4 PUTs, no sleep, no server retry.
    Pike,
    /// 3 PUTs, no sleep, no server retry.
    Queens,
    /// 4 PUTs with sleep U(0, 2k) s before try k, and 10 server-side retries.
    Rocky,
    /// One PUT per claim, no retry anywhere: isolates the conflict rate from any retry policy.
    None,
}

/// Placement (MODEL.md §2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PlacementCfg {
    /// The transaction window τ_txn in ms; 0 means no "concurrently updated" 409s.
    pub tau_txn_ms: f64,
    pub retry_policy: RetryPolicy,
    /// `fine` is Placement: capacity re-checked at commit. `coarse` is Omega's counterfactual:
    /// the claim carries the provider generation seen at the candidates query and is refused
    /// ("concurrently updated") if the provider changed since; resending the same stale
    /// generation fails again, so the claim fails and the caller moves on.
    pub conflict_mode: ConflictMode,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConflictMode {
    Fine,
    Coarse,
}

impl Default for PlacementCfg {
    fn default() -> Self {
        PlacementCfg { tau_txn_ms: 0.0, retry_policy: RetryPolicy::PerRelease, conflict_mode: ConflictMode::Fine }
    }
}

/// Per-hop latencies in ms (MODEL.md §4.2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LatencyCfg {
    pub api_ms: f64,
    pub rpc_ms: f64,
    pub candidates_base_ms: f64,
    pub candidates_per_host_ms: f64,
    pub db_base_ms: f64,
    pub db_per_host_ms: f64,
    pub filter_weigh_per_host_ms: f64,
    pub claim_get_ms: f64,
    pub claim_put_ms: f64,
    pub super_conductor_ms: f64,
    pub cell_conductor_ms: f64,
    pub rt_claim_ms: f64,
    /// Each hop's latency is multiplied by U(1 − jitter, 1 + jitter). \[assumption\] 0.1.
    pub jitter: f64,
}

impl Default for LatencyCfg {
    fn default() -> Self {
        LatencyCfg {
            api_ms: 20.0,
            rpc_ms: 5.0,
            candidates_base_ms: 30.0,
            candidates_per_host_ms: 0.2,
            db_base_ms: 10.0,
            db_per_host_ms: 0.02,
            filter_weigh_per_host_ms: 0.05,
            claim_get_ms: 10.0,
            claim_put_ms: 40.0,
            super_conductor_ms: 50.0,
            cell_conductor_ms: 20.0,
            rt_claim_ms: 5.0,
            jitter: 0.1,
        }
    }
}

/// Run the scenario once per value of one parameter.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// A dotted key such as `scheduler.workers`.
    pub param: String,
    pub values: Vec<toml::Value>,
}

/// What the renderers show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ReportCfg {
    /// Metric columns for the table, text and HTML outputs (CSV and JSON always carry all).
    pub columns: Vec<String>,
    /// The metric the sweep chart plots; the first column by default.
    pub chart: Option<String>,
}

/// One value out of range or inconsistent: the key that sets it, what is wrong, and the line of the scenario that
/// sets the key (or opens its table), when the scenario text is known and sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub key: String,
    pub message: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

/// Every problem validation found, in the order of [`Scenario`]'s checks; never empty. One problem prints as
/// before (`` `key`: message ``; the caller puts its line in front); each further one follows on its own line with
/// the scenario line it concerns, so one round of fixes can address them all.
#[derive(Debug, Clone, PartialEq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// One problem whose line is not known yet ([`ScenarioError::line`] finds it from the key).
    pub fn one(key: &str, message: impl Into<String>) -> Problems {
        Problems(vec![Problem { key: key.to_string(), message: message.into(), line: None }])
    }

    pub fn first(&self) -> &Problem {
        &self.0[0]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a `Problems` holds at least one.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (first, rest) = self.0.split_first().expect("a Problems is never empty");
        write!(f, "{first}")?;
        for p in rest {
            let line = p.line.map(|l| format!(" (scenario line {l})")).unwrap_or_default();
            write!(f, "\n  and `{}`{line}: {}", p.key, p.message)?;
        }
        Ok(())
    }
}

/// Why a scenario was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The TOML does not parse or does not match the schema.
    #[error("{}{message}{}", location(*line, *column), suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    Toml { line: Option<usize>, column: Option<usize>, message: String, suggestion: Option<String> },
    /// Values out of range or inconsistent: every one validation found, each with its key and line.
    #[error("{0}")]
    Invalid(Problems),
    /// The engine found an invariant violated; a bug in the engine, reported with its seed.
    #[error(transparent)]
    Invariant(#[from] Box<super::invariants::Violation>),
    /// The scenario would take too long to run ([`super::budget`]); refused before anything runs. `line` is that
    /// of the first key the hint suggests lowering, when the scenario sets it.
    #[error("{message}")]
    TooLarge { line: Option<usize>, message: String, hint: String },
    /// The caller cancelled the run ([`super::Cancel`]).
    #[error("cancelled")]
    Cancelled,
}

impl ScenarioError {
    /// The line of `src` the error concerns, if it is known: where the TOML parser stopped, the line of the (first)
    /// key whose value is refused, or that of the key to lower.
    pub fn line(&self, src: &str) -> Option<usize> {
        match self {
            ScenarioError::Toml { line, .. } => *line,
            ScenarioError::Invalid(problems) => {
                let first = problems.first();
                first.line.or_else(|| key_line(src, &first.key))
            }
            ScenarioError::TooLarge { line, .. } => *line,
            ScenarioError::Invariant(_) | ScenarioError::Cancelled => None,
        }
    }

    /// How to fix it, when there is more to say than the message.
    pub fn hint(&self) -> Option<&str> {
        match self {
            ScenarioError::TooLarge { hint, .. } => Some(hint),
            _ => None,
        }
    }

    /// The problems of an [`ScenarioError::Invalid`], each with its line when `src` sets its key; empty for the
    /// other kinds. For a caller that reports each problem as its own diagnostic.
    pub fn problems(&self, src: &str) -> Vec<Problem> {
        match self {
            ScenarioError::Invalid(problems) => problems
                .iter()
                .map(|p| Problem { line: p.line.or_else(|| key_line(src, &p.key)), ..p.clone() })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The 1-based line where `src` sets the dotted `key` (`seeds`, `workload.requests`), or opens the table `key`
/// (`cloud`, `workload.flavors`). A plain scan of the text, good enough to point at a line: scenarios are written
/// by hand with one key a line under its `[section]`.
pub fn key_line(src: &str, key: &str) -> Option<usize> {
    let (section, name) = key.rsplit_once('.').unwrap_or(("", key));
    let mut current = String::new();
    let mut header = None;
    for (i, line) in src.lines().enumerate() {
        let line = line.trim();
        if let Some(h) = line.strip_prefix('[') {
            current = h.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string();
            if current == key && header.is_none() {
                header = Some(i + 1);
            }
            continue;
        }
        let assigned = line.split('=').next().map(|k| k.trim().trim_matches('"'));
        if current == section && line.contains('=') && assigned == Some(name) {
            return Some(i + 1);
        }
    }
    header
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{l}:{c}: "),
        _ => String::new(),
    }
}

fn invalid(key: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid(Problems::one(key, message))
}

/// The 1-based line and column of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Closest name in `candidates` to `word`, if close enough to be a plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// serde reports unknown names as "unknown field `x`, expected one of `a`, `b`"; pull the
/// name and the alternatives out so the error can suggest one.
fn suggestion_from_message(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(word, expected)
}

fn toml_error(src: &str, e: &toml::de::Error) -> ScenarioError {
    let (line, column) = match e.span() {
        Some(span) => {
            let (l, c) = line_col(src, span.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let message = e.message().trim().to_string();
    let suggestion = suggestion_from_message(&message);
    ScenarioError::Toml { line, column, message, suggestion }
}

impl Scenario {
    /// Parse and validate a scenario.
    pub fn parse(src: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(src).map_err(|e| toml_error(src, &e))?;
        scenario.validate(src)?;
        if let Some(sweep) = &scenario.sweep {
            // Check every sweep value now, so a typo fails before hours of simulation.
            let table: toml::Table = toml::from_str(src).map_err(|e| toml_error(src, &e))?;
            for v in &sweep.values {
                Scenario::with_override(src, &table, &sweep.param, v)?;
            }
        }
        Ok(scenario)
    }

    /// The scenario for each sweep value (or just itself), with the value as text.
    pub fn expand(src: &str) -> Result<Vec<(Option<String>, Scenario)>, ScenarioError> {
        let base = Scenario::parse(src)?;
        let Some(sweep) = base.sweep.clone() else {
            return Ok(vec![(None, base)]);
        };
        let table: toml::Table = toml::from_str(src).map_err(|e| toml_error(src, &e))?;
        sweep
            .values
            .iter()
            .map(|v| Ok((Some(value_text(v)), Scenario::with_override(src, &table, &sweep.param, v)?)))
            .collect()
    }

    /// `table` (parsed from `src`) with the sweep's `param` set to `value`, validated; problems are located in `src`.
    fn with_override(
        src: &str,
        table: &toml::Table,
        param: &str,
        value: &toml::Value,
    ) -> Result<Scenario, ScenarioError> {
        let mut table = table.clone();
        table.remove("sweep");
        let parts: Vec<&str> = param.split('.').collect();
        let (last, sections) = parts.split_last().ok_or_else(|| invalid("sweep.param", "empty"))?;
        let mut node = &mut table;
        for section in sections {
            node = node
                .entry(section.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| invalid("sweep.param", format!("`{section}` is not a section")))?;
        }
        node.insert(last.to_string(), value.clone());
        let scenario: Scenario = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            let message = e.message().trim().to_string();
            let suggestion = suggestion_from_message(&message);
            ScenarioError::Toml {
                line: None,
                column: None,
                message: format!("sweep `{param}` = {}: {message}", value_text(value)),
                suggestion,
            }
        })?;
        scenario.validate(src)?;
        Ok(scenario)
    }

    /// Every problem with the values, each located in `src` (the text they were parsed from).
    fn validate(&self, src: &str) -> Result<(), ScenarioError> {
        let mut problems = self.problems();
        if problems.is_empty() {
            return Ok(());
        }
        for p in &mut problems {
            p.line = key_line(src, &p.key);
        }
        Err(ScenarioError::Invalid(Problems(problems)))
    }

    /// Every value out of range or inconsistent, in the order of the keys' sections; each names the key to fix.
    fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |key: &str, message: String| out.push(Problem { key: key.to_string(), message, line: None });
        for s in &self.strategies {
            if !STRATEGY_NAMES.contains(&s.as_str()) {
                let hint = suggest(s, STRATEGY_NAMES).map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default();
                bad("strategies", format!("unknown strategy `{s}`{hint}"));
            }
        }
        if self.strategies.is_empty() {
            bad("strategies", "at least one strategy is needed".into());
        }
        if self.seeds == 0 {
            bad("seeds", "must be at least 1".into());
        }
        if let Some(sweep) = &self.sweep {
            if sweep.values.is_empty() {
                bad("sweep.values", "is empty: give at least one value, or remove [sweep]".into());
            }
            // Each value is a row per strategy: past a hundred the table is unreadable, and comparing every case
            // with every other to share runs ([`super::count_runs`]) grows with the square of their number.
            if sweep.values.len() > MAX_SWEEP_VALUES {
                let n = sweep.values.len();
                bad("sweep.values", format!("{n} values is more than the engine accepts ({MAX_SWEEP_VALUES})"));
            }
        }
        // Sanity bounds, so that a typo cannot ask a site build for terabytes: each is far
        // above any scenario worth publishing.
        for (key, value, max) in [
            ("seeds", u64::from(self.seeds), 10_000),
            ("cloud.hosts", u64::from(self.cloud.hosts), 100_000),
            ("workload.requests", u64::from(self.workload.requests), 1_000_000),
            ("workload.multi_create_num", u64::from(self.workload.multi_create_num), 1_000),
            ("scheduler.workers", u64::from(self.scheduler.workers), 1_024),
            ("scheduler.max_attempts", u64::from(self.scheduler.max_attempts), 1_000),
        ] {
            if value > max {
                bad(key, format!("{value} is more than the engine accepts ({max})"));
            }
        }
        let instances = u64::from(self.workload.requests) * u64::from(self.workload.multi_create_num);
        if instances > 10_000_000 {
            bad("workload.requests", "requests × multi_create_num is over 10,000,000 instances".into());
        }
        let c = &self.cloud;
        if c.cells == 0 {
            bad("cloud.cells", "must be at least 1".into());
        } else if c.hosts == 0 || c.cells > c.hosts {
            bad("cloud.hosts", "need at least one host per cell".into());
        }
        for (key, amount) in [("cloud.vcpu", c.vcpu), ("cloud.memory_mb", c.memory_mb), ("cloud.disk_gb", c.disk_gb)] {
            if amount == 0 {
                bad(key, "host resources must be positive".into());
            }
        }
        for (key, r) in [
            ("cloud.cpu_allocation_ratio", c.cpu_allocation_ratio),
            ("cloud.ram_allocation_ratio", c.ram_allocation_ratio),
            ("cloud.disk_allocation_ratio", c.disk_allocation_ratio),
        ] {
            if super::placement::Ratio::from_decimal(r).is_none_or(|r| r.num == 0) {
                bad(key, "must be a positive decimal with at most 9 fractional digits".into());
            }
        }
        if !(0.0..1.0).contains(&c.fill) {
            bad("cloud.fill", "must be in [0, 1)".into());
        }
        let w = &self.workload;
        if w.flavors.is_empty() || w.flavors.iter().all(|f| f.weight == 0) {
            bad("workload.flavors", "need at least one flavor with a positive weight".into());
        }
        if w.flavors.iter().any(|f| f.vcpu == 0 || f.memory_mb == 0) {
            bad("workload.flavors", "vcpu and memory_mb must be positive".into());
        }
        if !(w.rate > 0.0 && w.rate.is_finite()) {
            bad("workload.rate", "must be positive".into());
        }
        for (key, n) in [("workload.burst", w.burst), ("workload.multi_create_num", w.multi_create_num)] {
            if n == 0 {
                bad(key, "must be at least 1".into());
            }
        }
        for (key, p) in [
            ("workload.multi_create_ratio", w.multi_create_ratio),
            ("compute.build_failure", self.compute.build_failure),
            ("compute.bad_host_fraction", self.compute.bad_host_fraction),
        ] {
            if !(0.0..=1.0).contains(&p) {
                bad(key, "must be a probability in [0, 1]".into());
            }
        }
        let s = &self.scheduler;
        for (key, n) in [
            ("scheduler.workers", s.workers),
            ("scheduler.host_subset_size", s.host_subset_size),
            ("scheduler.max_attempts", s.max_attempts),
            ("scheduler.max_placement_results", s.max_placement_results),
        ] {
            if n == 0 {
                bad(key, "must be at least 1".into());
            }
        }
        if !(0.0..1.0).contains(&self.latency.jitter) {
            bad("latency.jitter", "must be in [0, 1)".into());
        }
        let l = &self.latency;
        for (key, x) in [
            ("latency.api_ms", l.api_ms),
            ("latency.rpc_ms", l.rpc_ms),
            ("latency.candidates_base_ms", l.candidates_base_ms),
            ("latency.candidates_per_host_ms", l.candidates_per_host_ms),
            ("latency.db_base_ms", l.db_base_ms),
            ("latency.db_per_host_ms", l.db_per_host_ms),
            ("latency.filter_weigh_per_host_ms", l.filter_weigh_per_host_ms),
            ("latency.claim_get_ms", l.claim_get_ms),
            ("latency.claim_put_ms", l.claim_put_ms),
            ("latency.super_conductor_ms", l.super_conductor_ms),
            ("latency.cell_conductor_ms", l.cell_conductor_ms),
            ("latency.rt_claim_ms", l.rt_claim_ms),
            ("placement.tau_txn_ms", self.placement.tau_txn_ms),
            ("compute.spawn_median_s", self.compute.spawn_median_s),
            ("compute.spawn_sigma", self.compute.spawn_sigma),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                bad(key, "latencies must be finite and non-negative".into());
            }
        }
        if !(w.lifetime_mean_s.is_finite() && w.lifetime_mean_s >= 0.0) {
            bad("workload.lifetime_mean_s", "must be finite and non-negative (0 keeps every instance)".into());
        }
        for (key, period) in [
            ("compute.periodic_interval_s", self.compute.periodic_interval_s),
            ("scheduler.cache_refresh_s", s.cache_refresh_s),
        ] {
            if period.is_nan() || period <= 0.0 {
                bad(key, "periods must be positive".into());
            }
        }
        let columns = self.report.columns.iter().map(|c| ("report.columns", c));
        for (key, col) in columns.chain(self.report.chart.iter().map(|c| ("report.chart", c))) {
            if super::metrics::index_of(col).is_none() {
                let hint = suggest(col, super::metrics::NAMES.iter().copied())
                    .map(|h| format!(" (did you mean `{h}`?)"))
                    .unwrap_or_default();
                bad(key, format!("unknown metric `{col}`{hint}"));
            }
        }
        out
    }
}

/// A sweep value as the tables print it.
fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_scenario_is_all_defaults() {
        assert_eq!(Scenario::parse("").unwrap(), Scenario::default());
    }

    #[test]
    fn unknown_key_names_the_key_with_location_and_suggestion() {
        let err = Scenario::parse("seed = 3\n[scheduler]\nworkerz = 4\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("3:1: unknown field `workerz`"), "{text}");
        assert!(text.ends_with("(did you mean `workers`?)"), "{text}");
    }

    #[test]
    fn unknown_strategy_and_enum_value_get_suggestions() {
        let err = Scenario::parse("strategies = [\"queen\"]").unwrap_err();
        assert!(err.to_string().contains("did you mean `queens`"), "{err}");
        let err = Scenario::parse("[scheduler]\nweigher = \"stak\"").unwrap_err();
        assert!(err.to_string().contains("did you mean `stack`"), "{err}");
    }

    #[test]
    fn sweep_expands_and_rejects_bad_params() {
        let src = "[sweep]\nparam = \"scheduler.workers\"\nvalues = [1, 8]\n";
        let runs = Scenario::expand(src).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].0.as_deref(), Some("8"));
        assert_eq!(runs[1].1.scheduler.workers, 8);
        let err = Scenario::parse("[sweep]\nparam = \"scheduler.workrs\"\nvalues = [1]\n").unwrap_err();
        assert!(err.to_string().contains("did you mean `workers`"), "{err}");
    }

    #[test]
    fn sizes_are_bounded() {
        let err = Scenario::parse("[cloud]\nhosts = 4000000000").unwrap_err();
        assert_eq!(err.to_string(), "`cloud.hosts`: 4000000000 is more than the engine accepts (100000)");
        assert!(Scenario::parse("[workload]\nrequests = 1000000\nmulti_create_num = 1000").is_err());
    }

    #[test]
    fn a_sweep_needs_one_to_a_hundred_values() {
        let sweep =
            |values: &str| Scenario::parse(&format!("[sweep]\nparam = \"scheduler.workers\"\nvalues = {values}\n"));
        let err = sweep("[]").unwrap_err();
        assert_eq!(err.to_string(), "`sweep.values`: is empty: give at least one value, or remove [sweep]");
        assert_eq!(err.line("[sweep]\nparam = \"scheduler.workers\"\nvalues = []\n"), Some(3));
        let hundred: Vec<String> = (1..=100).map(|v| v.to_string()).collect();
        assert!(sweep(&format!("[{}]", hundred.join(", "))).is_ok());
        let err = sweep(&format!("[{}, 101]", hundred.join(", "))).unwrap_err();
        assert_eq!(err.to_string(), "`sweep.values`: 101 values is more than the engine accepts (100)");
    }

    #[test]
    fn keys_are_found_on_their_lines() {
        let src = "# seeds = 1 in a comment\nseeds = 3\n[cloud]\nhosts = 5\n[[workload.flavors]]\nname = \"a\"\n\
                   [workload]\n\"requests\" = 7\n";
        assert_eq!(key_line(src, "seeds"), Some(2));
        assert_eq!(key_line(src, "cloud.hosts"), Some(4));
        assert_eq!(key_line(src, "cloud"), Some(3));
        assert_eq!(key_line(src, "workload.flavors"), Some(5));
        assert_eq!(key_line(src, "workload.requests"), Some(8));
        assert_eq!(key_line(src, "workload.rate"), None);
        assert_eq!(key_line(src, "hosts"), None, "a key of a section is not a top-level key");
    }

    #[test]
    fn every_problem_is_reported_with_its_own_line_and_key() {
        let src = "seeds = 3\n[cloud]\nfill = 1.5\n[workload]\nrate = 2.0\nmulti_create_num = 0\n\
                   [scheduler]\ncache_refresh_s = 0\n";
        let err = Scenario::parse(src).unwrap_err();
        let found: Vec<(String, Option<usize>)> = err.problems(src).into_iter().map(|p| (p.key, p.line)).collect();
        assert_eq!(
            found,
            [
                ("cloud.fill".to_string(), Some(3)),
                ("workload.multi_create_num".to_string(), Some(6)),
                ("scheduler.cache_refresh_s".to_string(), Some(8)),
            ]
        );
        assert_eq!(err.line(src), Some(3));
        assert_eq!(
            err.to_string(),
            "`cloud.fill`: must be in [0, 1)\n  and `workload.multi_create_num` (scenario line 6): must be at least 1\n  \
             and `scheduler.cache_refresh_s` (scenario line 8): periods must be positive"
        );
    }

    #[test]
    fn each_zero_count_and_period_names_its_own_key() {
        let key = |src: &str| match Scenario::parse(src).unwrap_err() {
            ScenarioError::Invalid(p) if p.len() == 1 => p.first().key.clone(),
            other => panic!("{other}"),
        };
        assert_eq!(key("[workload]\nburst = 0"), "workload.burst");
        assert_eq!(key("[workload]\nmulti_create_num = 0"), "workload.multi_create_num");
        assert_eq!(key("[compute]\nperiodic_interval_s = 0"), "compute.periodic_interval_s");
        assert_eq!(key("[scheduler]\ncache_refresh_s = -1"), "scheduler.cache_refresh_s");
        assert_eq!(key("[scheduler]\nhost_subset_size = 0"), "scheduler.host_subset_size");
        assert_eq!(key("[compute]\nspawn_sigma = -1"), "compute.spawn_sigma");
        assert_eq!(key("[report]\nchart = \"capacity\""), "report.chart");
    }

    #[test]
    fn ranges_are_checked() {
        assert!(Scenario::parse("[cloud]\nfill = 1.5").is_err());
        assert!(Scenario::parse("[compute]\nbuild_failure = -0.1").is_err());
        assert!(Scenario::parse("[cloud]\nhosts = 2\ncells = 3").is_err());
    }
}
