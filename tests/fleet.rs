//! Many waits in one process: what a sleeping wait costs, one request budget shared by all
//! waits of an account, fair polling, triggers that do not queue behind polls, and the
//! library's one event stream for many jobs.
//!
//! Tests run on tokio's paused clock; the figures they check are virtual time and counts.

use std::{
    collections::{BTreeMap, HashMap},
    num::NonZeroU64,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::StreamExt;
use jobrun::{
    Error, JobRef, RateLimit, SecretString, WaitEvent, WaitOptions,
    adobe::{AdobeClient, AdobeConfig},
    asteria::{AsteriaClient, AsteriaConfig},
    fleet::{Clients, FleetEvent},
    krewdata::{KrewdataClient, KrewdataConfig},
    trocco::{RunJob, TroccoClient, TroccoConfig},
};
use jobrun_sim::trocco::{Script, TroccoConfig as SimConfig, TroccoSim};
use tokio::time::Instant;

const KEY: &str = "tra_fleet-test-key";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn id(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).expect("non-zero")
}

fn trocco(url: &str, limit: RateLimit) -> TroccoClient {
    let config = TroccoConfig::new(SecretString::from(KEY))
        .and_then(|c| c.base_url(url, false))
        .expect("valid config")
        .rate_limit(limit);
    TroccoClient::new(config).expect("client")
}

/// The size of a future's state (it is dropped unpolled).
fn size<F: Future>(future: F) -> usize {
    size_of_val(&future)
}

/// A sleeping wait holds its last status and timers, not the request machinery: every
/// vendor's wait, and the trigger-and-wait, fit in 1 KiB.
#[tokio::test]
async fn a_sleeping_wait_is_small_for_every_vendor() {
    let options = WaitOptions::default();
    let mut quiet = |_: &WaitEvent| {};
    let secret = || SecretString::from("s3cret");
    let trocco = trocco("https://trocco.io", RateLimit::Unlimited);
    let krewdata = KrewdataClient::new(
        KrewdataConfig::new(
            "https://example.cybozu.com/k/1".parse().expect("app URL"),
            secret(),
        )
        .expect("config"),
    )
    .expect("client");
    let asteria = AsteriaClient::new(
        AsteriaConfig::new("https://warp.example.com", false, "user", secret()).expect("config"),
    )
    .expect("client");
    let adobe = AdobeClient::new(
        AdobeConfig::new("client", secret(), "org@AdobeOrg", "openid").expect("config"),
    )
    .expect("client");
    let refs: BTreeMap<&str, JobRef> = [
        ("trocco", "trocco:job:1"),
        ("krewdata", "krewdata:task:unit:task"),
        ("asteria", "asteria:request:r1:20240101"),
        ("adobe", "adobe:run:sched:run"),
    ]
    .into_iter()
    .map(|(v, r)| (v, r.parse().expect("reference")))
    .collect();

    let run = RunJob::new(id(1));
    let sizes = [
        (
            "trocco start_job_and_wait",
            size(trocco.start_job_and_wait(&run, &options, &mut quiet)),
        ),
        (
            "trocco wait",
            size(trocco.wait(&refs["trocco"], &options, &mut quiet)),
        ),
        (
            "krewdata wait",
            size(krewdata.wait(&refs["krewdata"], &options, &mut quiet)),
        ),
        (
            "asteria wait",
            size(asteria.wait(&refs["asteria"], &options, &mut quiet)),
        ),
        (
            "adobe wait",
            size(adobe.wait(&refs["adobe"], &options, &mut quiet)),
        ),
        (
            "any vendor's wait (Clients::wait)",
            size(Clients::new().wait(&refs["adobe"], &options, &mut quiet)),
        ),
    ];
    for (what, size) in &sizes {
        eprintln!("{what}: {size} bytes");
    }
    for (what, size) in sizes {
        assert!(size <= 1024, "{what}: {size} bytes");
    }
}

/// The largest number of requests the simulator received within any `window`.
fn busiest(times: &mut [std::time::SystemTime], window: Duration) -> usize {
    times.sort();
    let mut first = 0;
    let mut most = 0;
    for last in 0..times.len() {
        while times[last].duration_since(times[first]).unwrap_or_default() > window {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}

/// 300 trigger-and-waits against an account allowing 100 calls a minute: demand is several
/// times the budget, yet no call is refused, every job is detected, every job is polled again
/// within a bounded time (no starvation), and a trigger sent meanwhile is not queued behind
/// the waits' reads.
#[tokio::test(start_paused = true)]
async fn many_waits_share_a_tight_budget_fairly_without_a_429() {
    const JOBS: u64 = 300;
    const LIMIT: u32 = 100;
    let window = secs(60);
    let mut config = SimConfig::empty().api_key(KEY).rate_limit(LIMIT, window);
    for d in 1..=30 {
        let script = Script::new()
            .step("queued", secs(5))
            .step("executing", secs(10 * d));
        config = config.transfer_definition(i64::try_from(d).expect("small"), "job", script);
    }
    let sim = TroccoSim::start(config).await.expect("simulator starts");
    let client = trocco(
        &sim.base_url(),
        RateLimit::Fixed {
            requests: LIMIT,
            per: window,
        },
    );
    let options = WaitOptions {
        timeout: secs(24 * 3600),
        poll_min: secs(1),
        poll_max: secs(10),
        confirm_after: secs(5),
    };
    let retries = Arc::new(Mutex::new(Vec::new()));
    let mut waits = tokio::task::JoinSet::new();
    for n in 0..JOBS {
        let (client, options, retries) = (client.clone(), options.clone(), retries.clone());
        waits.spawn(async move {
            let run = RunJob::new(id(n % 30 + 1));
            let mut on_event = |e: &WaitEvent| {
                if let WaitEvent::Retrying { reason, .. } = e {
                    retries.lock().expect("lock").push(reason.clone());
                }
            };
            client
                .start_job_and_wait(&run, &options, &mut on_event)
                .await
        });
    }

    // Once every job is started and the waits' reads queue, one more trigger goes out within
    // a few token intervals, not after the hundreds of reads queued before it.
    // Bounded, so that a trigger that fails (and never reaches the simulator) fails the test
    // instead of hanging it.
    for _ in 0..3600 {
        if sim.count("POST", "/api/jobs") >= JOBS as usize {
            break;
        }
        tokio::time::sleep(secs(1)).await;
    }
    assert_eq!(
        sim.count("POST", "/api/jobs"),
        JOBS as usize,
        "every trigger reached the simulator within an hour of virtual time"
    );
    tokio::time::sleep(secs(30)).await;
    let before = Instant::now();
    let extra = client
        .start_job(&RunJob::new(id(1)))
        .await
        .expect("trigger");
    let trigger_wait = before.elapsed();
    let interval = window / (LIMIT - LIMIT / 10);
    assert!(
        trigger_wait <= interval * 3,
        "the trigger waited {trigger_wait:?}, token interval {interval:?}"
    );

    let mut states = BTreeMap::new();
    while let Some(joined) = waits.join_next().await {
        let outcome = joined
            .expect("task")
            .expect("every wait ends with an outcome");
        *states.entry(outcome.state.to_string()).or_insert(0) += 1;
    }
    assert_eq!(states, BTreeMap::from([("succeeded".to_owned(), JOBS)]));
    assert!(
        retries.lock().expect("lock").is_empty(),
        "no read was refused or retried: {:?}",
        retries.lock().expect("lock")
    );

    let requests = sim.requests();
    let mut times: Vec<_> = requests.iter().map(|r| r.received_at).collect();
    let most = busiest(&mut times, window);
    assert!(most <= LIMIT as usize, "{most} calls within one window");

    // No starvation: between two reads of one job, at most every other job's turn passes.
    let mut reads: HashMap<&str, Vec<std::time::SystemTime>> = HashMap::new();
    for r in requests.iter().filter(|r| r.method == "GET") {
        reads
            .entry(r.path.as_str())
            .or_default()
            .push(r.received_at);
    }
    assert_eq!(reads.len(), JOBS as usize, "every job was read");
    let fair_gap = options.poll_max + interval * (JOBS as u32 + LIMIT / 10);
    for (job, times) in &reads {
        for pair in times.windows(2) {
            let gap = pair[1].duration_since(pair[0]).unwrap_or_default();
            assert!(gap <= fair_gap, "{job} waited {gap:?} between reads");
        }
    }
    assert!(extra.id > 0);
}

/// One stream for many jobs: every event names its job, every job ends exactly once (a
/// reference named twice is waited for once), and a job that cannot be read ends with its
/// error without stopping the others.
#[tokio::test(start_paused = true)]
async fn one_stream_reports_every_job_once_with_its_events() {
    let config = SimConfig::empty()
        .api_key(KEY)
        .transfer_definition(1, "ok", Script::new().step("executing", secs(30)))
        .transfer_definition(
            2,
            "fails",
            Script::new().step("executing", secs(50)).end("error"),
        );
    let sim = TroccoSim::start(config).await.expect("simulator starts");
    let client = trocco(&sim.base_url(), RateLimit::Unlimited);
    let mut jobs = Vec::new();
    for definition in [1, 2, 1] {
        let job = client
            .start_job(&RunJob::new(id(definition)))
            .await
            .expect("run");
        jobs.push(JobRef::TroccoJob(id(u64::try_from(job.id).expect("id"))));
    }
    jobs.push(jobs[0].clone());
    jobs.push("trocco:job:999".parse().expect("reference"));
    jobs.push("adobe:run:sched:run".parse().expect("reference"));

    let clients = Clients::new().trocco(client);
    let options = WaitOptions {
        poll_min: secs(1),
        poll_max: secs(5),
        ..WaitOptions::default()
    };
    let mut stream = clients.wait_all(jobs.clone(), options);
    assert_eq!(stream.jobs(), 5);
    let mut ended = BTreeMap::new();
    let mut statuses: HashMap<String, Vec<String>> = HashMap::new();
    while let Some(event) = stream.next().await {
        match event {
            FleetEvent::Progress(WaitEvent::Status { job, status, .. }) => {
                statuses.entry(job.to_string()).or_default().push(status);
            }
            FleetEvent::Progress(_) => {}
            FleetEvent::Ended { job, result } => {
                let what = match result {
                    Ok(outcome) => outcome.state.to_string(),
                    Err(Error::Api(api)) => format!("api {}", api.status),
                    Err(Error::Config(_)) => "config".to_owned(),
                    Err(other) => panic!("{job}: {other}"),
                };
                assert!(ended.insert(job.to_string(), what).is_none(), "ended twice");
            }
        }
    }
    let expected: BTreeMap<String, String> = [
        (&jobs[0], "succeeded"),
        (&jobs[1], "failed"),
        (&jobs[2], "succeeded"),
        (&jobs[4], "api 404"),
        (&jobs[5], "config"),
    ]
    .into_iter()
    .map(|(j, s)| (j.to_string(), s.to_owned()))
    .collect();
    assert_eq!(ended, expected);
    assert_eq!(
        statuses[&jobs[1].to_string()],
        ["executing", "error"],
        "events are tagged with their job"
    );
}

/// Over TLS the clients offer HTTP/2 (ALPN) and use it where the server speaks it, so many
/// waits share one connection instead of one each.
#[tokio::test]
async fn clients_speak_http2_where_tls_offers_it() {
    use hyper::{Request, Response, body::Incoming, service::service_fn};
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tokio_rustls::rustls;

    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let private = rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![key.cert.der().clone()], private)
        .expect("server config");
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let versions = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, versions) = (acceptor.clone(), versions.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = service_fn(move |request: Request<Incoming>| {
                    versions.lock().expect("lock").push(request.version());
                    let body = r#"{"id":7,"job_definition_id":1,"status":"succeeded"}"#;
                    async move {
                        Response::builder()
                            .header("content-type", "application/json")
                            .body(body.to_owned())
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });

    let mut config = TroccoConfig::new(SecretString::from(KEY))
        .and_then(|c| c.base_url(&format!("https://localhost:{port}"), false))
        .expect("valid config")
        .rate_limit(RateLimit::Unlimited);
    config.http.extra_root_certificates = vec![key.cert.pem().into_bytes()];
    let client = TroccoClient::new(config).expect("client");
    let reads = (0..10).map(|_| client.job(id(7)));
    for job in futures::future::join_all(reads).await {
        assert_eq!(job.expect("read over TLS").id, 7);
    }
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen, vec![hyper::Version::HTTP_2; 10]);
}
