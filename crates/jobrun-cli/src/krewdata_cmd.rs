//! `jobrun krewdata …`

use jobrun::{
    Error, JobRef,
    krewdata::{
        KrewdataClient, KrewdataConfig, KrewdataError, Record, RunGuard, RunUnit, StatusAnswer,
        USER_ENV, UnitId,
    },
};

use crate::{
    cli::KrewdataCommand,
    output::{
        Exit, Watch, emit, fail, report_started, say, say_err, step_line, until_signal,
        vendor_error,
    },
};

pub async fn run(command: KrewdataCommand) -> Exit {
    let (json, unit) = match &command {
        KrewdataCommand::Run { run, unit, .. } => (run.json, unit.clone()),
        KrewdataCommand::Status { json, unit, .. } => (*json, unit.clone()),
    };
    match execute(command).await {
        Ok(exit) => exit,
        Err(e) => {
            if let Some(KrewdataError::OtherUserRunning {
                task_id: Some(task),
            }) = e.krewdata()
                && let Ok(task) = task.parse()
            {
                let running = JobRef::KrewdataTask { unit, task };
                say_err(&format!(
                    "jobrun: the unit forbids concurrent runs and {running} is in progress; \
                     wait for it with: jobrun wait {running}"
                ));
            }
            fail(&e, json)
        }
    }
}

fn client(no_run_guard: bool) -> Result<KrewdataClient, Error> {
    let mut config = KrewdataConfig::from_env()?;
    if no_run_guard {
        config = config.run_guard(RunGuard::disabled());
    }
    KrewdataClient::new(config)
}

async fn execute(command: KrewdataCommand) -> Result<Exit, Error> {
    match command {
        KrewdataCommand::Run {
            unit,
            app_id,
            user,
            record,
            fields,
            no_run_guard,
            run,
        } => {
            let from_env = std::env::var(USER_ENV).is_ok_and(|u| !u.trim().is_empty());
            if user.is_none() && !from_env {
                return Err(Error::Config(format!(
                    "no kintone user to record as the run's user: set {USER_ENV} or pass --user"
                )));
            }
            let mut request = RunUnit::new(unit, app_id);
            if let Some(user) = user {
                request = request.user(user);
            }
            if let Some(path) = record {
                request = request.record(Record::from_file(&path)?);
            } else if !fields.is_empty() {
                let mut record = Record::new();
                for field in &fields {
                    record = record.parse_field(field)?;
                }
                request = request.record(record);
            }
            // Every input, the wait bounds included, is checked before a token is requested.
            let options = run.wait_options()?;
            let client = client(no_run_guard)?;
            let started = client.start(&request).await?;
            let Some(options) = options else {
                let note = format!("started {}", started.job);
                report_started(&started.job, run.json, &started, &note);
                return Ok(Exit::Success);
            };
            let mut watch = Watch::new(run.json, started.unit.to_string());
            let result =
                until_signal(client.wait_started(&started, &options, &mut |e| watch.on_event(e)))
                    .await;
            Ok(watch.conclude(&started.job, result))
        }
        KrewdataCommand::Status {
            unit,
            task,
            no_run_guard,
            json,
        } => {
            let answer = client(no_run_guard)?.status(&unit, &task).await?;
            if json {
                emit(&answer);
            } else {
                for line in describe_status(&unit, &task.to_string(), &answer) {
                    say(&line);
                }
            }
            Ok(Exit::Success)
        }
    }
}

/// `krewdata:task:U:T Failure (error 33: …)` and one line per flow.
fn describe_status(unit: &UnitId, task: &str, a: &StatusAnswer) -> Vec<String> {
    let mut head = format!("krewdata:task:{unit}:{task} {}", a.task_status);
    if let Some(error) = vendor_error(a.error_code.as_deref(), a.error_message.as_deref()) {
        head.push_str(&format!(" ({error})"));
    }
    let mut lines = vec![head];
    for flow in &a.flow_info {
        lines.push(step_line(
            &flow.flow_name,
            flow.status.as_str(),
            [&flow.start_time, &flow.end_time],
        ));
    }
    lines
}
