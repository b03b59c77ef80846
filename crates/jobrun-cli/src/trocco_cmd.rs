//! `jobrun trocco …`

use futures::TryStreamExt;
use jobrun::{
    Error,
    trocco::{ListJobs, RunJob, RunPipeline, TroccoClient, TroccoJob},
};
use serde::Serialize;

use crate::{
    cli::{RunArgs, TroccoCommand},
    output::{Exit, Watch, emit, fail, report_started, say, say_err, until_signal},
};

pub async fn run(command: TroccoCommand) -> Exit {
    let json = match &command {
        TroccoCommand::RunJob { run, .. } | TroccoCommand::RunPipeline { run, .. } => run.json,
        TroccoCommand::Job { json, .. }
        | TroccoCommand::PipelineJob { json, .. }
        | TroccoCommand::Jobs { json, .. } => *json,
    };
    match execute(command).await {
        Ok(exit) => exit,
        Err(e) => fail(&e, json),
    }
}

async fn execute(command: TroccoCommand) -> Result<Exit, Error> {
    match command {
        TroccoCommand::RunJob {
            definition,
            time,
            vars,
            run,
        } => {
            let mut request = RunJob::new(definition);
            if let Some(t) = time.context_time {
                request = request.context_time(t);
            }
            if let Some(tz) = time.time_zone {
                request = request.time_zone(tz);
            }
            for v in vars {
                request = request.variable(v);
            }
            // Every input, the wait bounds included, is checked before the trigger goes out.
            let options = run.wait_options()?;
            let client = TroccoClient::from_env()?;
            let job = client.start_job(&request).await?;
            after_trigger(&client, &job, &run, options).await
        }
        TroccoCommand::RunPipeline {
            definition,
            time,
            run,
        } => {
            let mut request = RunPipeline::new(definition);
            if let Some(t) = time.context_time {
                request = request.context_time(t);
            }
            if let Some(tz) = time.time_zone {
                request = request.time_zone(tz);
            }
            let options = run.wait_options()?;
            let client = TroccoClient::from_env()?;
            let job = client.start_pipeline(&request).await?;
            after_trigger(&client, &job, &run, options).await
        }
        TroccoCommand::Job { id, json } => {
            show(&TroccoClient::from_env()?.job(id).await?, json);
            Ok(Exit::Success)
        }
        TroccoCommand::PipelineJob { id, json } => {
            show(&TroccoClient::from_env()?.pipeline_job(id).await?, json);
            Ok(Exit::Success)
        }
        TroccoCommand::Jobs {
            definition,
            start_time,
            end_time,
            time_zone,
            page_size,
            json,
        } => {
            let filter = ListJobs {
                start_time,
                end_time,
                time_zone,
                page_size,
            };
            let client = TroccoClient::from_env()?;
            let mut jobs = std::pin::pin!(client.jobs(definition, &filter));
            let mut count = 0usize;
            while let Some(job) = jobs.try_next().await? {
                count += 1;
                show(&job, json);
            }
            if !json {
                say_err(&format!("{count} job(s)"));
            }
            Ok(Exit::Success)
        }
    }
}

/// Reports a started job, and waits for it with `--wait`.
async fn after_trigger(
    client: &TroccoClient,
    job: &(impl TroccoJob + Serialize),
    run: &RunArgs,
    options: Option<jobrun::WaitOptions>,
) -> Result<Exit, Error> {
    let job_ref = job.job_ref()?;
    let Some(options) = options else {
        report_started(&job_ref, run.json, job, &format!("started {}", line(job)));
        return Ok(Exit::Success);
    };
    let mut watch = Watch::new(run.json, job.definition_name().unwrap_or_default());
    let result = until_signal(client.wait_started(job, &options, &mut |e| watch.on_event(e))).await;
    Ok(watch.conclude(&job_ref, result))
}

fn show(job: &(impl TroccoJob + Serialize), json: bool) {
    if json { emit(job) } else { say(&line(job)) }
}

/// `trocco:job:7 succeeded, definition 42 (daily), created …, started …, finished …`
fn line(job: &impl TroccoJob) -> String {
    let mut line = match job.job_ref() {
        Ok(r) => format!("{r} {}", job.status()),
        Err(_) => format!("(no valid id) {}", job.status()),
    };
    if let Some(d) = job.definition_id() {
        line.push_str(&format!(", definition {d}"));
    }
    if let Some(n) = job.definition_name() {
        line.push_str(&format!(" ({n})"));
    }
    for (word, t) in job.times() {
        if let Some(t) = t {
            line.push_str(&format!(", {word} {t}"));
        }
    }
    line
}
