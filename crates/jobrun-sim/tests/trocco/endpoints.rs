use std::time::Duration;

use jobrun_sim::trocco::TroccoConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Api, between, json_with, keys, timestamp};

#[tokio::test(start_paused = true)]
async fn transfer_job_answers_have_the_documented_fields() {
    let api = Api::default().await;
    let job = api.run_job(1).await;
    assert_eq!(
        keys(&job),
        [
            "created_at",
            "id",
            "job_definition_id",
            "job_definition_name",
            "status"
        ]
    );
    assert_eq!(job["id"], 1);
    assert_eq!(job["job_definition_id"], 1);
    assert_eq!(job["job_definition_name"], "sim-transfer-succeeds");
    assert_eq!(job["status"], "queued");
    timestamp(&job["created_at"]);

    assert_eq!(api.job(1).await, job);

    tokio::time::sleep(Duration::from_secs(10)).await;
    let done = api.job(1).await;
    assert_eq!(
        keys(&done),
        [
            "created_at",
            "finished_at",
            "id",
            "job_definition_id",
            "job_definition_name",
            "started_at",
            "status"
        ]
    );
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["created_at"], job["created_at"]);
    assert_eq!(
        between(&done["created_at"], &done["started_at"]),
        Duration::from_secs(2)
    );
    assert_eq!(
        between(&done["created_at"], &done["finished_at"]),
        Duration::from_secs(4)
    );
}

#[tokio::test(start_paused = true)]
async fn workflow_job_answers_have_the_documented_fields() {
    let api = Api::default().await;
    let job = api.run_pipeline_job(1).await;
    assert_eq!(
        keys(&job),
        [
            "context_time",
            "created_at",
            "finished_at",
            "id",
            "name",
            "pipeline_definition_id",
            "started_at",
            "status"
        ]
    );
    assert_eq!(job["id"], 1);
    assert_eq!(job["pipeline_definition_id"], 1);
    assert_eq!(job["name"], "sim-workflow-succeeds");
    assert_eq!(job["status"], "queued");
    assert_eq!(job["started_at"], Value::Null);
    assert_eq!(job["finished_at"], Value::Null);
    // Without context_time, the request time is used.
    assert_eq!(job["context_time"], job["created_at"]);
    timestamp(&job["created_at"]);

    tokio::time::sleep(Duration::from_secs(5)).await;
    let done = api.pipeline_job(1).await;
    assert_eq!(done["status"], "succeeded");
    assert_eq!(
        between(&done["created_at"], &done["started_at"]),
        Duration::from_secs(1)
    );
    assert_eq!(
        between(&done["created_at"], &done["finished_at"]),
        Duration::from_secs(4)
    );
}

#[tokio::test]
async fn workflow_context_time_is_read_in_its_time_zone_and_shown_in_jst() {
    let api = Api::default().await;
    let job = api
        .post("/api/pipeline_jobs?pipeline_definition_id=2")
        .json(&json!({"context_time": "2023-05-19 00:00:00", "time_zone": "Etc/UTC"}))
        .send()
        .await
        .unwrap();
    let job = json_with(job, StatusCode::OK).await;
    assert_eq!(job["context_time"], "2023-05-19T09:00:00.000+09:00");

    let job = api
        .post("/api/pipeline_jobs?pipeline_definition_id=2")
        .json(&json!({"context_time": "2023-05-19 00:00:00"}))
        .send()
        .await
        .unwrap();
    let job = json_with(job, StatusCode::OK).await;
    assert_eq!(job["context_time"], "2023-05-19T00:00:00.000+09:00");
    assert_eq!(job["id"], 2);
}

#[tokio::test]
async fn job_ids_count_from_one_per_kind() {
    let api = Api::default().await;
    assert_eq!(api.run_job(1).await["id"], 1);
    assert_eq!(api.run_pipeline_job(1).await["id"], 1);
    assert_eq!(api.run_job(2).await["id"], 2);
    assert_eq!(api.run_pipeline_job(3).await["id"], 2);
    assert_eq!(
        api.job(2).await["job_definition_name"],
        "sim-transfer-fails"
    );
    assert_eq!(api.pipeline_job(2).await["name"], "sim-workflow-recovers");
}

#[tokio::test]
async fn unknown_resources_are_404_not_found() {
    let api = Api::default().await;
    api.run_job(1).await;
    api.run_pipeline_job(1).await;
    let not_found = json!({"message": "Not found"});
    let requests = [
        api.get("/api/jobs/2"),
        api.get("/api/jobs/0"),
        api.get("/api/jobs/-1"),
        api.get("/api/jobs/abc"),
        api.get("/api/jobs/99999999999999999999999"),
        api.get("/api/pipeline_jobs/2"),
        api.get("/api/job_definitions/99/jobs"),
        api.get("/api/job_definitions/x/jobs"),
        api.get("/api/nothing/here"),
        api.get("/api/jobs"),
        api.post("/api/jobs?job_definition_id=99"),
        api.post("/api/pipeline_jobs?pipeline_definition_id=99"),
        api.client
            .delete(api.url("/api/jobs/1"))
            .header("Authorization", "Token sim-trocco-key"),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        assert_eq!(json_with(response, StatusCode::NOT_FOUND).await, not_found);
    }
    assert_eq!(api.status_of("/api/pipeline_jobs/1").await, StatusCode::OK);
}

#[tokio::test(start_paused = true)]
async fn default_catalog_finishes_each_definition_within_three_to_eight_seconds() {
    let api = Api::default().await;
    let transfers = [
        (1, "succeeded"),
        (2, "error"),
        (3, "canceled"),
        (4, "skipped"),
    ];
    let workflows = [
        (1, "succeeded"),
        (2, "error"),
        (3, "succeeded"),
        (4, "canceled"),
    ];
    for (definition, _) in transfers {
        api.run_job(definition).await;
    }
    for (definition, _) in workflows {
        api.run_pipeline_job(definition).await;
    }
    // A workflow shows `error` before its retry, so "not done" means "no finished_at".
    tokio::time::sleep(Duration::from_millis(2900)).await;
    for id in 1..=4 {
        let transfer = api.job(id).await;
        let workflow = api.pipeline_job(id).await;
        assert!(transfer.get("finished_at").is_none(), "{transfer}");
        assert!(workflow["finished_at"].is_null(), "{workflow}");
    }

    tokio::time::sleep(Duration::from_millis(5200)).await;
    for (id, expected) in transfers {
        let job = api.job(id).await;
        assert_eq!(job["status"], expected);
        assert!(job["finished_at"].is_string());
    }
    for (id, expected) in workflows {
        let job = api.pipeline_job(id).await;
        assert_eq!(job["status"], expected);
        assert!(job["finished_at"].is_string());
    }
}

#[tokio::test]
async fn catalog_prints_as_a_table() {
    let table = TroccoConfig::new().to_string();
    for name in [
        "sim-transfer-succeeds",
        "sim-transfer-fails",
        "sim-transfer-canceled",
        "sim-transfer-skipped",
        "sim-workflow-succeeds",
        "sim-workflow-fails-after-retry",
        "sim-workflow-recovers",
        "sim-workflow-canceled",
    ] {
        assert!(table.contains(name), "{name} missing from:\n{table}");
    }
    assert!(table.contains(
        "queued 1s -> executing 1.5s -> error 1s -> retry_waiting 1.5s -> executing 1.5s -> succeeded"
    ));
    assert!(table.contains("3500 calls per 10m"));
    assert!(TroccoConfig::empty().to_string().contains("(none)"));
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let api = Api::default().await;
    let url = api.url("/api/jobs/1");
    // An open keep-alive connection must be closed too, not only the listener.
    assert_eq!(api.status_of("/api/jobs/1").await, StatusCode::NOT_FOUND);
    api.sim.shutdown().await;
    assert!(api.client.get(url).send().await.is_err());
}

#[test]
fn handles_can_be_shared_across_tasks() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<jobrun_sim::trocco::TroccoSim>();
    shareable::<TroccoConfig>();
    shareable::<jobrun_sim::trocco::RecordedRequest>();
}
