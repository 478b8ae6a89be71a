//! `cargo xtask bench`: how long generation takes, stage by stage, and how much memory it
//! peaks at, for Box's whole published document, for the box-auth part of it, for Discord's
//! and Adyen's OpenAPI 3.1 documents, and for a large synthetic spec this command writes (301 schemas, 200 operations, using objects,
//! enums, allOf, tagged oneOf, arrays, maps, nullable fields and path/query parameters); then
//! what a generated call costs over the same request written by hand on reqwest
//! (`tests/benches/client_overhead.rs`); how long the `clientgen` command takes as a whole
//! process ([`process`]); and what compiling Box's whole API (`box-api`) costs, with every
//! feature and with `files` alone, against issue 14's baseline ([`check`], [`baseline`]).
//! A benchmark, not a test: it reports, it does not assert.

mod baseline;
mod check;
mod measure;
mod process;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use clientgen::{Config, Overlay, Spec};

use crate::codegen::{project_root, ADYEN_SPEC, BOX_OVERLAY, BOX_SPEC, DISCORD_SPEC};

/// Each index gives two schemas (`Base{i}` and `Thing{i}`), plus one shared `Problem`.
const SCHEMA_PAIRS: usize = 150;
/// Each path has two operations (`GET` and `POST`).
const PATHS: usize = 100;
const RUNS: usize = 10;

/// One spec to measure.
struct Case {
    label: &'static str,
    text: String,
    overlays: Vec<Overlay>,
    config: Config,
}

/// Runs the benchmark, in a release build of xtask (it re-runs itself that way when needed).
pub(crate) fn run() -> Result<(), String> {
    if cfg!(debug_assertions) {
        let args = [
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bench",
        ];
        return crate::cargo(&project_root(), &args, &[]);
    }
    let root = project_root();
    let read = |relative: &str| {
        std::fs::read_to_string(root.join(relative))
            .map_err(|error| format!("error: {relative}: {error}"))
    };
    let large = synthetic_spec();
    let large_path = root.join("target/bench/large.yaml");
    std::fs::create_dir_all(root.join("target/bench"))
        .and_then(|()| std::fs::write(&large_path, &large))
        .map_err(|error| format!("error: {}: {error}", large_path.display()))?;
    let box_spec = read(BOX_SPEC)?;
    let overlay = Overlay::parse(BOX_OVERLAY, &read(BOX_OVERLAY)?).map_err(|e| e.to_string())?;
    let mut box_auth = Config::new("box-auth");
    box_auth.selection.tags.push("Authorization".to_owned());
    let cases = [
        Case {
            label: "Box's whole document",
            text: box_spec.clone(),
            overlays: vec![overlay.clone()],
            config: Config::new("box-api"),
        },
        Case {
            label: "box-auth (tag Authorization)",
            text: box_spec,
            overlays: vec![overlay],
            config: box_auth,
        },
        Case {
            label: "Discord's whole document (3.1)",
            text: read(DISCORD_SPEC)?,
            overlays: Vec::new(),
            config: Config::new("discord-api"),
        },
        Case {
            label: "Adyen's Checkout document (3.1)",
            text: read(ADYEN_SPEC)?,
            overlays: Vec::new(),
            config: Config::new("adyen-checkout-api"),
        },
        Case {
            label: "synthetic (target/bench/large.yaml)",
            text: large,
            overlays: Vec::new(),
            config: Config::new("bench"),
        },
    ];

    println!("generation time in ms, median of {RUNS} runs:");
    println!(
        "  {:<38} {:>7} {:>7} {:>7} {:>7} {:>7}   output",
        "spec", "load", "lower", "emit", "print", "total"
    );
    for case in &cases {
        let timing = time(case)?;
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
        println!(
            "  {:<38} {:>7} {:>7} {:>7} {:>7} {:>7}   {} KB of spec -> {} files, {} lines, {} KB",
            case.label,
            ms(timing.load),
            ms(timing.lower),
            ms(timing.emit),
            ms(timing.print),
            ms(timing.total),
            case.text.len() / 1024,
            timing.files,
            timing.lines,
            timing.bytes / 1024,
        );
    }
    match peak_memory() {
        Some(kib) => println!(
            "peak resident memory of this process: {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: not available on this platform"),
    }
    process::run(&root)?;
    check::run(&root)?;
    // What a generated call costs over the same request by hand: its own benchmark binary,
    // which needs the generated client and a runtime.
    let args = [
        "bench",
        "--quiet",
        "--package",
        "tests",
        "--bench",
        "client_overhead",
    ];
    crate::cargo(&root, &args, &[])
}

/// Median durations of the stages and of a whole run, and the size of the output.
struct Timing {
    load: Duration,
    lower: Duration,
    emit: Duration,
    print: Duration,
    total: Duration,
    files: usize,
    lines: usize,
    bytes: usize,
}

fn time(case: &Case) -> Result<Timing, String> {
    let mut stages: [Vec<Duration>; 5] = Default::default();
    let (mut files, mut lines, mut bytes) = (0, 0, 0);
    for _ in 0..RUNS {
        let started = Instant::now();
        let spec = Spec::parse_with_overlays(case.label, &case.text, &case.overlays)
            .map_err(|error| error.to_string())?;
        let loaded = Instant::now();
        let (api, _) = clientgen::lower(&spec, &case.config).map_err(|error| error.to_string())?;
        let lowered = Instant::now();
        let emitted = clientgen::emit(&api, &spec, &case.config);
        let built = Instant::now();
        let output = emitted.print().map_err(|error| error.to_string())?;
        let printed = Instant::now();
        for (stage, (from, to)) in stages.iter_mut().zip([
            (started, loaded),
            (loaded, lowered),
            (lowered, built),
            (built, printed),
            (started, printed),
        ]) {
            stage.push(to - from);
        }
        files = output.len();
        lines = output.values().map(|text| text.lines().count()).sum();
        bytes = output.values().map(String::len).sum();
    }
    let [load, lower, emit, print, total] = stages.map(|mut durations| {
        durations.sort();
        durations[durations.len() / 2]
    });
    Ok(Timing {
        load,
        lower,
        emit,
        print,
        total,
        files,
        lines,
        bytes,
    })
}

/// `VmHWM` of `/proc/self/status`, in KiB.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string(Path::new("/proc/self/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A large spec exercising the constructs the generator supports.
fn synthetic_spec() -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers: [{url: 'https://synthetic.example/v1'}]\npaths:\n",
    );
    for op in 0..PATHS {
        let schema = op % SCHEMA_PAIRS;
        let _ = write!(
            spec,
            "  /things{op}/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n    get:\n      operationId: getThing{op}\n      summary: Get thing {op}\n      parameters:\n        - {{name: limit, in: query, schema: {{type: integer, format: int32}}}}\n        - {{name: order, in: query, schema: {{type: string, enum: [asc, desc]}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}}}\n        default: {{description: error, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem'}}}}}}}}\n    post:\n      operationId: postThing{op}\n      summary: Create thing {op}\n      requestBody:\n        required: true\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}\n      responses:\n        '201': {{description: created, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}}}\n"
        );
    }
    spec.push_str("components:\n  schemas:\n    Problem:\n      type: object\n      properties: {error: {type: string}, detail: {type: string, nullable: true}}\n");
    for index in 0..SCHEMA_PAIRS {
        let next = (index + 1) % SCHEMA_PAIRS;
        let _ = write!(
            spec,
            "    Base{index}:\n      type: object\n      required: [id, type]\n      properties:\n        id: {{type: string}}\n        type: {{type: string, enum: [kind{index}]}}\n        etag: {{type: string, nullable: true}}\n    Thing{index}:\n      description: Synthetic thing {index}.\n      allOf:\n        - $ref: '#/components/schemas/Base{index}'\n        - type: object\n          properties:\n            count: {{type: integer, format: int64}}\n            ratio: {{type: number}}\n            flag: {{type: boolean}}\n            status: {{type: string, enum: [active, 'urn:x:inactive', '1.0']}}\n            tags: {{type: array, items: {{type: string}}}}\n            labels: {{type: object, additionalProperties: {{type: string}}}}\n            next: {{$ref: '#/components/schemas/Base{next}'}}\n            either:\n              oneOf:\n                - $ref: '#/components/schemas/Base{index}'\n                - $ref: '#/components/schemas/Base{next}'\n"
        );
    }
    spec
}
