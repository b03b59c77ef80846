//! `jobrun trocco …`

use jobrun::{
    Error, JobRef,
    trocco::{
        ListJobs, PipelineJob, RunJob, RunPipeline, TransferJob, TroccoClient, pipeline_ref,
        transfer_ref,
    },
};

use crate::{
    cli::{RunArgs, TroccoCommand},
    output::{Exit, Watch, emit, fail, say, started},
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
            let job = client.run_job(&request).await?;
            let job_ref = transfer_ref(&job)?;
            let label = job.job_definition_name.clone().unwrap_or_default();
            match options {
                None => Ok(report_started(&run, &job_ref, &job, &transfer_line(&job))),
                Some(options) => {
                    let mut watch = Watch::new(run.json, label);
                    let result = client
                        .wait_started_job(&job, &options, &mut |e| watch.on_event(e))
                        .await;
                    Ok(watch.finish(&result))
                }
            }
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
            let job = client.run_pipeline(&request).await?;
            let job_ref = pipeline_ref(&job)?;
            let label = job.name.clone().unwrap_or_default();
            match options {
                None => Ok(report_started(&run, &job_ref, &job, &pipeline_line(&job))),
                Some(options) => {
                    let mut watch = Watch::new(run.json, label);
                    let result = client
                        .wait_started_pipeline(&job, &options, &mut |e| watch.on_event(e))
                        .await;
                    Ok(watch.finish(&result))
                }
            }
        }
        TroccoCommand::Job { id, json } => {
            let job = TroccoClient::from_env()?.job(id).await?;
            if json {
                emit(&job)
            } else {
                say(&transfer_line(&job))
            }
            Ok(Exit::Success)
        }
        TroccoCommand::PipelineJob { id, json } => {
            let job = TroccoClient::from_env()?.pipeline_job(id).await?;
            if json {
                emit(&job)
            } else {
                say(&pipeline_line(&job))
            }
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
            let jobs = TroccoClient::from_env()?.jobs(definition, &filter).await?;
            for job in &jobs {
                if json {
                    emit(job)
                } else {
                    say(&transfer_line(job))
                }
            }
            if !json {
                eprintln!("{} job(s)", jobs.len());
            }
            Ok(Exit::Success)
        }
    }
}

fn report_started(
    run: &RunArgs,
    job_ref: &JobRef,
    answer: &impl serde::Serialize,
    line: &str,
) -> Exit {
    if run.json {
        emit(answer);
    } else {
        // stdout carries only the reference, so `ref=$(jobrun trocco run-job 42)` just works.
        say(&job_ref.to_string());
        started(job_ref, line);
    }
    Exit::Success
}

fn transfer_line(job: &TransferJob) -> String {
    let mut line = format!("trocco:job:{} {}", job.id, job.status);
    if let Some(d) = job.job_definition_id {
        line.push_str(&format!(" definition {d}"));
    }
    if let Some(n) = &job.job_definition_name {
        line.push_str(&format!(" ({n})"));
    }
    times(
        &mut line,
        &job.created_at,
        &job.started_at,
        &job.finished_at,
    );
    line
}

fn pipeline_line(job: &PipelineJob) -> String {
    let mut line = format!("trocco:pipeline-job:{} {}", job.id, job.status);
    if let Some(d) = job.pipeline_definition_id {
        line.push_str(&format!(" workflow {d}"));
    }
    if let Some(n) = &job.name {
        line.push_str(&format!(" ({n})"));
    }
    times(
        &mut line,
        &job.created_at,
        &job.started_at,
        &job.finished_at,
    );
    line
}

fn times(
    line: &mut String,
    created: &Option<jobrun::VendorTime>,
    started: &Option<jobrun::VendorTime>,
    finished: &Option<jobrun::VendorTime>,
) {
    for (word, t) in [
        ("created", created),
        ("started", started),
        ("finished", finished),
    ] {
        if let Some(t) = t {
            line.push_str(&format!(", {word} {t}"));
        }
    }
}
