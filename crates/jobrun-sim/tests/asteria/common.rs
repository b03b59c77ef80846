use jobrun_sim::asteria::{AsteriaConfig, AsteriaSim, SESSION_HEADER};
use reqwest::{Client, Response};

/// The seed's sample ids, used by the default catalog.
pub const RECOVERS: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d432";
pub const FAILS_AGAIN: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d43";
pub const SUCCEEDED: &str = "ec303dfa-c317-40f2-a396-d776918253df";
pub const RUNNING: &str = "5a1f3c2e-9b7d-4e8a-b6c4-1d2e3f4a5b6c";

pub const XML: &str = "text/xml; charset=UTF-8";

/// A running simulator and a client for it.
pub struct Api {
    pub sim: AsteriaSim,
    pub client: Client,
}

impl Api {
    pub async fn start(config: AsteriaConfig) -> Self {
        let sim = AsteriaSim::start(config).await.unwrap();
        Self {
            sim,
            client: Client::new(),
        }
    }

    pub async fn default() -> Self {
        Self::start(AsteriaConfig::new()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    /// POSTs `form` (already encoded) as `x-www-form-urlencoded`, like the seed's sample.
    pub async fn post(&self, path: &str, session: Option<&str>, form: &str) -> Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .body(form.to_owned());
        if let Some(session) = session {
            request = request.header(SESSION_HEADER, session);
        }
        request.send().await.unwrap()
    }

    /// GETs `path_and_query`.
    pub async fn get(&self, path_and_query: &str, session: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path_and_query));
        if let Some(session) = session {
            request = request.header(SESSION_HEADER, session);
        }
        request.send().await.unwrap()
    }

    /// Logs in as the simulator's user and returns the session id.
    pub async fn login(&self) -> String {
        let form = format!(
            "userName={}&password={}",
            self.sim.user(),
            self.sim.password()
        );
        let body = ok(self.post("/api/auth/login", None, &form).await).await;
        field(&body, "sessionId").unwrap()
    }

    /// `list` with `query` (without `?`); the answer body.
    pub async fn list(&self, session: &str, query: &str) -> String {
        ok(self
            .get(&format!("/api/checkpoint/list?{query}"), Some(session))
            .await)
        .await
    }

    /// `show` of `request_id`; the one `<request>` element.
    pub async fn show(&self, session: &str, request_id: &str) -> String {
        let body = ok(self
            .get(
                &format!("/api/checkpoint/show?requestId={request_id}"),
                Some(session),
            )
            .await)
        .await;
        let requests = requests(&body);
        assert_eq!(requests.len(), 1, "{body}");
        requests[0].clone()
    }

    /// The start date of `request_id` as `YYYYMMDD`, read from `show` (so tests never guess
    /// what "today" is on the simulator's clock).
    pub async fn date_of(&self, session: &str, request_id: &str) -> String {
        let shown = self.show(session, request_id).await;
        let start = field(&shown, "startTime").unwrap();
        start[..10].replace('-', "")
    }

    /// Reruns `request_id`; the raw answer.
    pub async fn rerun(&self, session: &str, date: &str, request_id: &str) -> Response {
        self.post(
            "/api/checkpoint/rerun",
            Some(session),
            &format!("date={date}&requestId={request_id}"),
        )
        .await
    }
}

/// Asserts a 200 XML answer whose status is `success` and returns its body.
pub async fn ok(response: Response) -> String {
    let status = response.status();
    let content_type = response.headers()["content-type"].clone();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, XML);
    assert_eq!(field(&body, "status").as_deref(), Some("success"), "{body}");
    body
}

/// The exact error body, spelled out here rather than taken from the simulator.
pub fn error_xml(code: u16, message: &str) -> String {
    format!(
        "<result>\n\t<status>error</status>\n\t<errorCode>{code}</errorCode>\n\t<errorMessage>{message}</errorMessage>\n</result>\n"
    )
}

/// Asserts an error answer byte for byte.
pub async fn assert_error(response: Response, http: u16, code: u16, message: &str) {
    assert_eq!(response.status().as_u16(), http);
    assert_eq!(response.headers()["content-type"], XML);
    assert_eq!(response.text().await.unwrap(), error_xml(code, message));
}

/// The text of the first `<name>…</name>` in `xml` (`Some("")` for an empty element).
pub fn field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(xml[start..end].to_owned())
}

/// Every `<request>…</request>` element, in order.
pub fn requests(xml: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<request>") {
        let Some(len) = rest[start..].find("</request>") else {
            break;
        };
        let end = start + len + "</request>".len();
        found.push(rest[start..end].to_owned());
        rest = &rest[end..];
    }
    found
}

/// The request ids of a `list` answer, in order.
pub fn ids(xml: &str) -> Vec<String> {
    requests(xml)
        .iter()
        .map(|request| field(request, "requestId").unwrap())
        .collect()
}

/// The element names directly inside one `<request>`, in order.
pub fn element_names(request: &str) -> Vec<String> {
    request
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('<') && !line.starts_with("</"))
        .filter_map(|line| {
            let name = line.strip_prefix('<')?.split('>').next()?;
            (name != "request").then(|| name.to_owned())
        })
        .collect()
}
