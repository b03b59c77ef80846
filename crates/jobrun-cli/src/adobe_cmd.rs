//! `jobrun adobe …`

use futures::TryStreamExt;
use jobrun::{
    Error,
    adobe::{Accepted, AdobeClient, ListOptions, NewSchedule, Run, RunDetails, Schedule},
};
use serde::Serialize;

use crate::{
    cli::{AdobeCommand, ListArgs, RunsCommand, SchedulesCommand},
    output::{Exit, Watch, emit, fail, report_started, say, say_err, until_signal},
};

pub async fn run(command: AdobeCommand) -> Exit {
    let json = match &command {
        AdobeCommand::Schedules(c) => match c {
            SchedulesCommand::List { list } => list.json,
            SchedulesCommand::Get { json, .. }
            | SchedulesCommand::Create { json, .. }
            | SchedulesCommand::Enable { json, .. }
            | SchedulesCommand::Disable { json, .. }
            | SchedulesCommand::Delete { json, .. }
            | SchedulesCommand::SetCron { json, .. } => *json,
        },
        AdobeCommand::Runs(c) => match c {
            RunsCommand::List { list, .. } => list.json,
            RunsCommand::Get { json, .. } | RunsCommand::Cancel { json, .. } => *json,
            RunsCommand::Trigger { run, .. } => run.json,
        },
    };
    match execute(command).await {
        Ok(exit) => exit,
        Err(e) => fail(&e, json),
    }
}

fn options(list: &ListArgs, runs: bool) -> Result<ListOptions, Error> {
    if let Some(f) = list.filters.iter().find(|f| {
        if runs {
            !f.for_runs()
        } else {
            !f.for_schedules()
        }
    }) {
        return Err(Error::InvalidInput {
            what: "property filter",
            value: f.to_string(),
            expected: if runs {
                "a run filter: created>…, created<…, state==…, state!=… or externalTrigger==…"
            } else {
                "a schedule filter: created>…, created<…, templateId==… or userId==…"
            }
            .into(),
        });
    }
    Ok(ListOptions {
        limit: list.limit,
        orderby: list.orderby,
        filters: list.filters.clone(),
    })
}

async fn execute(command: AdobeCommand) -> Result<Exit, Error> {
    match command {
        AdobeCommand::Schedules(command) => schedules(command).await,
        AdobeCommand::Runs(command) => runs(command).await,
    }
}

async fn schedules(command: SchedulesCommand) -> Result<Exit, Error> {
    match command {
        SchedulesCommand::List { list } => {
            let options = options(&list, false)?;
            let client = AdobeClient::from_env()?;
            let mut items = std::pin::pin!(client.schedules(&options));
            let mut count = 0usize;
            while let Some(schedule) = items.try_next().await? {
                count += 1;
                show(&schedule, list.json, schedule_line);
            }
            if !list.json {
                say_err(&format!("{count} schedule(s)"));
            }
        }
        SchedulesCommand::Get { schedule, json } => {
            let found = AdobeClient::from_env()?.schedule(&schedule).await?;
            show(&found, json, schedule_line);
        }
        SchedulesCommand::Create {
            name,
            sql,
            db_name,
            cron,
            start,
            end,
            description,
            max_active_runs,
            json,
        } => {
            let new = NewSchedule {
                name,
                sql,
                db_name,
                cron,
                start,
                end,
                description,
                max_active_runs,
            };
            let created = AdobeClient::from_env()?.create_schedule(&new).await?;
            if json {
                emit(&created);
            } else {
                // stdout carries only the id, so `id=$(jobrun adobe schedules create …)` works.
                say(created.id.as_deref().unwrap_or_default());
                say_err(&format!("created {}", schedule_line(&created)));
            }
        }
        SchedulesCommand::Enable { schedule, json } => {
            accepted(&AdobeClient::from_env()?.enable(&schedule).await?, json);
        }
        SchedulesCommand::Disable { schedule, json } => {
            accepted(&AdobeClient::from_env()?.disable(&schedule).await?, json);
        }
        SchedulesCommand::Delete { schedule, json } => {
            accepted(
                &AdobeClient::from_env()?.delete_schedule(&schedule).await?,
                json,
            );
        }
        SchedulesCommand::SetCron {
            schedule,
            cron,
            json,
        } => {
            accepted(
                &AdobeClient::from_env()?.set_cron(&schedule, &cron).await?,
                json,
            );
        }
    }
    Ok(Exit::Success)
}

async fn runs(command: RunsCommand) -> Result<Exit, Error> {
    match command {
        RunsCommand::List { schedule, list } => {
            let options = options(&list, true)?;
            let client = AdobeClient::from_env()?;
            let mut items = std::pin::pin!(client.runs(&schedule, &options));
            let mut count = 0usize;
            while let Some(run) = items.try_next().await? {
                count += 1;
                show(&run, list.json, run_line);
            }
            if !list.json {
                say_err(&format!("{count} run(s)"));
            }
        }
        RunsCommand::Get {
            schedule,
            run,
            json,
        } => {
            let details = AdobeClient::from_env()?.run(&schedule, &run).await?;
            if json {
                emit(&details);
            } else {
                for line in details_lines(&details) {
                    say(&line);
                }
            }
        }
        RunsCommand::Cancel {
            schedule,
            run,
            json,
        } => {
            accepted(
                &AdobeClient::from_env()?.cancel_run(&schedule, &run).await?,
                json,
            );
        }
        RunsCommand::Trigger { schedule, run } => {
            let options = run.wait_options()?;
            let client = AdobeClient::from_env()?;
            let started = client.start(&schedule).await?;
            let Some(options) = options else {
                let note = format!("triggered {}", started.job);
                report_started(&started.job, run.json, &started, &note);
                return Ok(Exit::Success);
            };
            let mut watch = Watch::new(run.json, schedule.to_string());
            let result =
                until_signal(client.wait(&started.job, &options, &mut |e| watch.on_event(e))).await;
            return Ok(watch.conclude(&started.job, result));
        }
    }
    Ok(Exit::Success)
}

fn show<T: Serialize>(item: &T, json: bool, text: fn(&T) -> String) {
    if json { emit(item) } else { say(&text(item)) }
}

fn accepted(answer: &Accepted, json: bool) {
    if json {
        emit(answer);
    } else {
        say(answer.message.as_deref().unwrap_or("accepted"));
    }
}

fn schedule_line(s: &Schedule) -> String {
    let mut line = format!(
        "{} {}",
        s.id.as_deref().unwrap_or("(no id)"),
        s.state.as_ref().map(|s| s.to_string()).unwrap_or_default()
    );
    if let Some(name) = s.query.as_ref().and_then(|q| q.name.as_deref()) {
        line.push_str(&format!(" {name}"));
    }
    if let Some(cron) = s.schedule.as_ref().and_then(|c| c.schedule.as_deref()) {
        line.push_str(&format!(", schedule {cron}"));
    }
    if let Some(created) = &s.created {
        line.push_str(&format!(", created {created}"));
    }
    line
}

fn run_line(r: &Run) -> String {
    let mut line = format!(
        "{} {}",
        r.id.as_deref().unwrap_or("(no id)"),
        r.state.as_ref().map(|s| s.to_string()).unwrap_or_default()
    );
    if let Some(t) = &r.external_trigger {
        line.push_str(&format!(", externalTrigger {t}"));
    }
    if let Some(created) = &r.created {
        line.push_str(&format!(", created {created}"));
    }
    line
}

/// A run, then one indented line per task.
fn details_lines(d: &RunDetails) -> Vec<String> {
    let mut head = format!(
        "{} {}",
        d.id.as_deref().unwrap_or("(no id)"),
        d.state.as_ref().map(|s| s.to_string()).unwrap_or_default()
    );
    if let Some(created) = &d.created {
        head.push_str(&format!(", created {created}"));
    }
    let mut lines = vec![head];
    for task in d.task_status_list.iter().flatten() {
        let mut line = format!(
            "  {} {}",
            task.task_id.as_deref().unwrap_or("task"),
            task.state
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
        if let Some(message) = task.message.as_deref().filter(|m| !m.is_empty()) {
            line.push_str(&format!(": {message}"));
        }
        lines.push(line);
    }
    lines
}
