//! The HTTP face of the ASTERIA simulator: one handler that records the request, applies
//! faults, checks the session, and dispatches to login, logout, list, show and rerun.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use chrono_tz::Asia::Tokyo;
use tokio::time::Instant;

use super::answer::{self, Detail, Refusal};
use super::input::{self, Params};
use super::request::Stored;
use super::{SESSION_HEADER, Session, Shared, State as SimState, Target};
use crate::fault::{Fault, Shape};
use crate::record::RecordedRequest;
use crate::server::ConnControl;

/// Bodies beyond this are refused; real ones are a few form fields.
const MAX_BODY_BYTES: usize = 1 << 20;

/// How ASTERIA's answers look, for the faults that make one up.
const SHAPE: Shape = Shape {
    content_type: answer::CONTENT_TYPE_XML,
    xml: true,
    error: |status, text| {
        let code = match status {
            400 => answer::BAD_REQUEST,
            403 => answer::FORBIDDEN,
            404 => answer::NOT_FOUND,
            _ => 9000,
        };
        answer::error_body(code, text)
    },
    huge: (
        "<result>\n\t<status>success</status>\n\t<data>",
        "</data>\n</result>\n",
    ),
};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    // Paths are matched by hand so that unknown ones and wrong methods get the vendor's XML
    // error shape rather than axum's plain-text rejections.
    Router::new().fallback(serve).with_state(shared)
}

/// One function of the API: `/api/{module}/{function}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Login,
    Logout,
    Checkpoint(Checkpoint),
}

/// A function of the `checkpoint` module, the part that needs the enterprise license.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checkpoint {
    List,
    Show,
    Rerun,
}

impl Api {
    /// The function a path names, optionally with the default format written out (`.xml`).
    fn of(path: &str) -> Option<Self> {
        let path = path.strip_suffix(".xml").unwrap_or(path);
        Some(match path {
            "/api/auth/login" => Api::Login,
            "/api/auth/logout" => Api::Logout,
            "/api/checkpoint/list" => Api::Checkpoint(Checkpoint::List),
            "/api/checkpoint/show" => Api::Checkpoint(Checkpoint::Show),
            "/api/checkpoint/rerun" => Api::Checkpoint(Checkpoint::Rerun),
            _ => return None,
        })
    }

    fn target(self) -> Target {
        match self {
            Api::Login => Target::Login,
            Api::Logout => Target::Logout,
            Api::Checkpoint(Checkpoint::List) => Target::List,
            Api::Checkpoint(Checkpoint::Show) => Target::Show,
            Api::Checkpoint(Checkpoint::Rerun) => Target::Rerun,
        }
    }

    /// `GET` fetches (`list`, `show`); `POST` changes or executes, as the API overview says.
    fn method(self) -> &'static str {
        match self {
            Api::Checkpoint(Checkpoint::List | Checkpoint::Show) => "GET",
            Api::Login | Api::Logout | Api::Checkpoint(Checkpoint::Rerun) => "POST",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Api::Login => "/api/auth/login",
            Api::Logout => "/api/auth/logout",
            Api::Checkpoint(Checkpoint::List) => "/api/checkpoint/list",
            Api::Checkpoint(Checkpoint::Show) => "/api/checkpoint/show",
            Api::Checkpoint(Checkpoint::Rerun) => "/api/checkpoint/rerun",
        }
    }
}

async fn serve(State(sim): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let api = Api::of(parts.uri.path());
    let connection = parts.extensions.get::<ConnControl>().cloned();
    let now = sim.clock.now();
    // A reset before the body is read must be taken before reading it.
    let reset = sim.lock().faults.take_if(
        |aim| aim.applies_to(api.map(Api::target)),
        |fault| *fault == Fault::ResetBeforeRead,
    );
    if let Some(fault) = reset {
        sim.lock().requests_received.push(RecordedRequest::capture(
            &parts,
            &[],
            Some(&fault),
            sim.clock.wall_at(now),
        ));
        return crate::fault::apply(Some(fault), crate::fault::unanswered(), connection).await;
    }
    // The other way to fail here is a client vanishing mid-body, which reads no answer.
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();

    let (fault, response) = {
        let mut state = sim.lock();
        let fault = state
            .faults
            .take(|aim| aim.applies_to(api.map(Api::target)));
        state.requests_received.push(RecordedRequest::capture(
            &parts,
            body.as_deref().unwrap_or_default(),
            fault.as_ref(),
            sim.clock.wall_at(now),
        ));
        // A failure in front of the service: the request has no effect at all.
        let front = fault.as_ref().and_then(|fault| {
            fault.front_answer(&SHAPE, &parts, body.as_deref().unwrap_or_default())
        });
        let response = match front {
            Some(answer) => answer,
            None => handle(&sim, &mut state, &parts, body, now)
                .unwrap_or_else(|refusal| refusal.answer(&sim.wording)),
        };
        (fault, response)
    };
    crate::fault::apply(fault, response, connection).await
}

fn handle(
    sim: &Shared,
    state: &mut SimState,
    parts: &Parts,
    body: Option<Bytes>,
    now: Instant,
) -> Result<Response, Refusal> {
    let path = parts.uri.path();
    let api = Api::of(path).ok_or_else(|| Refusal::UnknownApi(path.to_owned()))?;
    if parts.method.as_str() != api.method() {
        return Err(Refusal::WrongMethod {
            path: api.path(),
            method: api.method(),
        });
    }
    // GET carries its parameters in the query string, POST in its form body; the other
    // place is not read, so a client that mixes them up finds out here (inferred).
    let params = if parts.method == Method::GET {
        Params::parse(parts.uri.query().unwrap_or_default().as_bytes())
    } else {
        Params::parse(&body.ok_or(Refusal::BodyTooLarge)?)
    };
    match api {
        Api::Login => login(sim, state, &params, now),
        Api::Logout => {
            let session = session(sim, state, &parts.headers, now)?;
            state.sessions.remove(&session);
            Ok(answer::empty())
        }
        Api::Checkpoint(function) => {
            session(sim, state, &parts.headers, now)?;
            if !sim.licensed {
                return Err(Refusal::NoLicense);
            }
            match function {
                Checkpoint::List => list(sim, state, &params, now),
                Checkpoint::Show => show(sim, state, &params, now),
                Checkpoint::Rerun => rerun(sim, state, &params, now),
            }
        }
    }
}

fn login(
    sim: &Shared,
    state: &mut SimState,
    params: &Params,
    now: Instant,
) -> Result<Response, Refusal> {
    let form = input::login(params)?;
    let known = sim
        .users
        .iter()
        .any(|(name, password)| same_user(name, &form.user) && *password == form.password);
    if !known {
        return Err(Refusal::LoginFailed);
    }
    let sessions = &state.sessions;
    let id = state.ids.draw_unique(|id| sessions.contains_key(id));
    state
        .sessions
        .insert(id.clone(), Session { last_used: now });
    Ok(answer::single("sessionId", &id))
}

/// `guest` and `/guest` name the same user: the MC API's sample logs in as `/guest`
/// (root domain), while owners print as `/guest` too.
fn same_user(configured: &str, sent: &str) -> bool {
    let bare = |name: &str| name.strip_prefix('/').unwrap_or(name).to_owned();
    bare(configured) == bare(sent)
}

/// The live session the request names, renewed: sessions expire after being idle for the
/// session lifetime, like a servlet session (inferred from the MC API's `timeout`).
fn session(
    sim: &Shared,
    state: &mut SimState,
    headers: &HeaderMap,
    now: Instant,
) -> Result<String, Refusal> {
    let id = headers
        .get(SESSION_HEADER)
        .ok_or(Refusal::NoSession)?
        .to_str()
        .map_err(|_| Refusal::SessionInvalid)?;
    let live = state
        .sessions
        .get(id)
        .is_some_and(|session| now.saturating_duration_since(session.last_used) < sim.session_ttl);
    if !live {
        // An expired session is gone for good, as on a server that reaped it.
        state.sessions.remove(id);
        return Err(Refusal::SessionInvalid);
    }
    if let Some(session) = state.sessions.get_mut(id) {
        session.last_used = now;
    }
    Ok(id.to_owned())
}

fn list(
    sim: &Shared,
    state: &SimState,
    params: &Params,
    now: Instant,
) -> Result<Response, Refusal> {
    let query = input::list(params)?;
    let today = sim.clock.utc_at(now).with_timezone(&Tokyo).date_naive();
    let date = query.date.unwrap_or(today);
    let mut rows: Vec<(&Stored, _)> = state
        .requests
        .values()
        .filter(|stored| stored.date == date)
        .map(|stored| (stored, stored.view(now, &sim.clock, false)))
        .filter(|(stored, view)| query.matches(stored, view))
        .collect();
    // Newest first, as in the seed's sample (18:07:04 before 18:06:59); ties by
    // registration, newest first too, so the order never changes between pages.
    rows.sort_by(|(a, _), (b, _)| b.start.cmp(&a.start).then(b.seq.cmp(&a.seq)));
    let skip = (query.page - 1).saturating_mul(query.size);
    let page: Vec<_> = rows.into_iter().skip(skip).take(query.size).collect();
    Ok(answer::requests(&page, Detail::Summary, &sim.wording))
}

fn show(
    sim: &Shared,
    state: &SimState,
    params: &Params,
    now: Instant,
) -> Result<Response, Refusal> {
    let (request_id, date) = input::show(params)?;
    let stored = state
        .requests
        .get(&request_id)
        .filter(|stored| date.is_none_or(|date| stored.date == date))
        .ok_or(Refusal::RequestNotFound(request_id))?;
    let view = stored.view(now, &sim.clock, false);
    Ok(answer::requests(
        &[(stored, view)],
        Detail::Full,
        &sim.wording,
    ))
}

fn rerun(
    sim: &Shared,
    state: &mut SimState,
    params: &Params,
    now: Instant,
) -> Result<Response, Refusal> {
    let (date, request_id) = input::rerun(params)?;
    let stored = state
        .requests
        .get_mut(&request_id)
        .filter(|stored| stored.date == date)
        .ok_or_else(|| Refusal::RequestNotFound(request_id.clone()))?;
    stored
        .rerun(now, &sim.clock)
        .map_err(|refused| Refusal::NotInError(request_id.clone(), refused.0))?;
    // The same request is re-executed, so the answer names the id it was given, as the
    // seed's sample does.
    Ok(answer::single("requestId", &request_id))
}
