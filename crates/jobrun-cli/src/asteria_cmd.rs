//! `jobrun asteria …`

use futures::TryStreamExt;
use jobrun::{
    Error,
    asteria::{AsteriaClient, ListFilter, Request},
};

use crate::{
    cli::{AsteriaCommand, CheckpointsCommand},
    output::{Exit, Watch, close_within, emit, fail, report_started, say, say_err, until_signal},
};

pub async fn run(command: AsteriaCommand) -> Exit {
    let AsteriaCommand::Checkpoints(command) = command;
    let json = match &command {
        CheckpointsCommand::List { json, .. } | CheckpointsCommand::Show { json, .. } => *json,
        CheckpointsCommand::Rerun { run, .. } => run.json,
    };
    let client = match AsteriaClient::from_env() {
        Ok(c) => c,
        Err(e) => return fail(&e, json),
    };
    let exit = match execute(&client, command).await {
        Ok(exit) => exit,
        Err(e) => fail(&e, json),
    };
    // The session ends with the command, whatever happened, once everything is printed. A
    // logout that hangs is cut short (2 s, or 0.5 s after a signal or a passed deadline, so
    // that the exit still follows either within a second): the session expires anyway.
    close_within(client.logout(), exit).await
}

async fn execute(client: &AsteriaClient, command: CheckpointsCommand) -> Result<Exit, Error> {
    match command {
        CheckpointsCommand::List {
            date,
            status,
            project,
            flow,
            domain,
            user,
            page,
            size,
            json,
        } => {
            let filter = ListFilter {
                date,
                domain,
                user,
                project,
                flow,
                status,
                size,
                page,
            };
            let mut requests = std::pin::pin!(client.list(&filter));
            let mut count = 0usize;
            while let Some(request) = requests.try_next().await? {
                count += 1;
                show(&request, json);
            }
            if !json {
                say_err(&format!("{count} request(s)"));
            }
            Ok(Exit::Success)
        }
        CheckpointsCommand::Show {
            request,
            date,
            json,
        } => {
            show(&client.show(&request, date).await?, json);
            Ok(Exit::Success)
        }
        CheckpointsCommand::Rerun { request, date, run } => {
            let options = run.wait_options()?;
            let started = client.start(&request, date).await?;
            let Some(options) = options else {
                let note = format!(
                    "re-running {} from {}",
                    started.job,
                    started
                        .stopped_at
                        .as_deref()
                        .unwrap_or("its last checkpoint")
                );
                report_started(&started.job, run.json, &started, &note);
                return Ok(Exit::Success);
            };
            let mut watch = Watch::new(run.json, request.to_string());
            let result =
                until_signal(client.wait_started(&started, &options, &mut |e| watch.on_event(e)))
                    .await;
            Ok(watch.conclude(&started.job, result))
        }
    }
}

fn show(request: &Request, json: bool) {
    if json {
        emit(&RequestJson(request));
    } else {
        say(&line(request));
    }
}

/// `<id> error Project1/Flow2 (/guest), started …, stopped at CheckPoint2, …`
fn line(r: &Request) -> String {
    let mut line = format!("{} {}", r.request_id, r.status);
    if let (Some(project), Some(flow)) = (&r.project, &r.flow) {
        line.push_str(&format!(" {project}/{flow}"));
    }
    if let Some(owner) = r.owner.as_deref().filter(|o| !o.is_empty()) {
        line.push_str(&format!(" ({owner})"));
    }
    for (word, value) in [
        ("started", &r.start_time),
        ("stopped at", &r.check_point_status),
        ("ended", &r.end_time),
        ("restarted", &r.restart_time),
        ("resumed from", &r.check_point_restart_status),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            line.push_str(&format!(", {word} {v}"));
        }
    }
    line
}

/// A request as NDJSON: the XML's elements under their own names.
struct RequestJson<'a>(&'a Request);

impl serde::Serialize for RequestJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let r = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("requestId", &r.request_id)?;
        map.serialize_entry("status", &r.status)?;
        for (key, value) in [
            ("project", &r.project),
            ("flow", &r.flow),
            ("owner", &r.owner),
            ("executeUser", &r.execute_user),
            ("startTime", &r.start_time),
            ("checkPointStatus", &r.check_point_status),
            ("endTime", &r.end_time),
            ("restartTime", &r.restart_time),
            ("checkPointRestartStatus", &r.check_point_restart_status),
        ] {
            if let Some(v) = value {
                map.serialize_entry(key, v)?;
            }
        }
        map.end()
    }
}
