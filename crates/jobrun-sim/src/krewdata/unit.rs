//! Execution units (実行単位) and how one run of a unit, a task, progresses over time.

use std::fmt;
use std::time::Duration;

/// The calling app (呼び出し元アプリ) a [`Unit`] has until told otherwise.
pub const DEFAULT_CALLING_APP: u64 = 123;

/// How a unit's real-time execution is started. Only [`ExecutionMethod::Api`] units accept
/// the token/run/status API; the others answer `Request type (Webhook/API/RunBykrewSheet) is
/// wrong.`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExecutionMethod {
    /// The arbitrary-execution API (任意実行API) this simulator serves.
    #[default]
    Api,
    /// A kintone Webhook notification.
    Webhook,
    /// A request from a krewSheet list view.
    KrewSheet,
}

impl fmt::Display for ExecutionMethod {
    /// `API`, `Webhook` or `krewSheet`, as the krewData plugin names them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExecutionMethod::Api => "API",
            ExecutionMethod::Webhook => "Webhook",
            ExecutionMethod::KrewSheet => "krewSheet",
        })
    }
}

/// How every task of a unit ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ending {
    Success,
    /// The flow at this index fails at the end of its duration; later flows are canceled.
    FailAt {
        index: usize,
        code: String,
        message: String,
    },
    /// No flow runs: the task fails as soon as its queue time is over.
    NeverRan {
        code: String,
        message: String,
    },
}

/// An execution unit: its data-editing flows, which run one after the other, and how runs of
/// it behave.
///
/// A task (one run) first waits in the queue for [`Unit::queue`], with every flow
/// `Queuing`; then each flow runs for its duration, in order. Without [`Unit::fail_at`] or
/// [`Unit::never_ran`] every flow ends `Success`. Of `fail_at` and `never_ran`, the last one
/// called decides.
///
/// `Unit::new` gives an enabled API unit called from app [`DEFAULT_CALLING_APP`], not
/// exclusive, with no queue time and no flows (a unit without flows refuses tokens with
/// `Specified unit is invalid.`, so add at least one).
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::krewdata::Unit;
///
/// let unit = Unit::new("nightly-stock")
///     .calling_app(42)
///     .queue(Duration::from_secs(1))
///     .flow("import-orders", Duration::from_secs(2))
///     .flow("update-stock", Duration::from_secs(3))
///     .fail_at(1, "33", "データ編集フローの設定が正しくありません。");
/// assert_eq!(unit.total(), Duration::from_secs(6));
/// assert_eq!(
///     unit.to_string(),
///     "queue 1s -> import-orders 2s -> update-stock 3s -> Failure (errorCode 33 in update-stock)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub(crate) name: String,
    pub(crate) calling_app: u64,
    pub(crate) method: ExecutionMethod,
    pub(crate) exclusive: bool,
    pub(crate) queue: Duration,
    pub(crate) flows: Vec<(String, Duration)>,
    pub(crate) ending: Ending,
    pub(crate) enabled: bool,
}

impl Unit {
    /// A unit named `name` (only shown in the catalog table; the API knows units by id).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            calling_app: DEFAULT_CALLING_APP,
            method: ExecutionMethod::Api,
            exclusive: false,
            queue: Duration::ZERO,
            flows: Vec::new(),
            ending: Ending::Success,
            enabled: true,
        }
    }

    /// The kintone app id a run must name as `appId`.
    pub fn calling_app(mut self, app_id: u64) -> Self {
        self.calling_app = app_id;
        self
    }

    /// How the unit is started; anything but [`ExecutionMethod::Api`] refuses the API.
    pub fn method(mut self, method: ExecutionMethod) -> Self {
        self.method = method;
        self
    }

    /// Whether concurrent runs are forbidden: a run while another task of the unit is
    /// `Queuing` or `Running` answers 409 with that task's id.
    pub fn exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = exclusive;
        self
    }

    /// How long a task stays `Queuing` before its first flow starts.
    pub fn queue(mut self, queue: Duration) -> Self {
        self.queue = queue;
        self
    }

    /// Appends a data-editing flow that runs for `duration`.
    pub fn flow(mut self, name: impl Into<String>, duration: Duration) -> Self {
        self.flows.push((name.into(), duration));
        self
    }

    /// Makes the flow at `flow_index` (from 0) end `Failure` at the end of its duration, with
    /// the task's `errorCode` and `errorMessage`; the flows after it end `Cancel`. An index
    /// past the last flow means the last flow.
    pub fn fail_at(
        mut self,
        flow_index: usize,
        error_code: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Self {
        self.ending = Ending::FailAt {
            index: flow_index,
            code: error_code.into(),
            message: error_message.into(),
        };
        self
    }

    /// Makes every task fail without running any flow (the seed's `errorCode` 134 case): at
    /// the end of the queue time it turns `Failure` with every flow `Cancel`.
    pub fn never_ran(
        mut self,
        error_code: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Self {
        self.ending = Ending::NeverRan {
            code: error_code.into(),
            message: error_message.into(),
        };
        self
    }

    /// Whether the unit is enabled (有効). A disabled unit refuses tokens and runs with
    /// `Specified unit is invalid.`
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// The name given to [`Unit::new`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How long after a run is accepted its task reaches `Success` or `Failure`.
    pub fn total(&self) -> Duration {
        let flows = match &self.ending {
            Ending::NeverRan { .. } => &[][..],
            Ending::Success => &self.flows[..],
            Ending::FailAt { index, .. } => {
                let last = (*index).min(self.flows.len().saturating_sub(1));
                self.flows.get(..=last).unwrap_or_default()
            }
        };
        flows.iter().fold(self.queue, |sum, (_, duration)| {
            sum.saturating_add(*duration)
        })
    }

    /// The index of the flow that fails, if one does.
    fn failing_flow(&self) -> Option<usize> {
        match &self.ending {
            Ending::FailAt { index, .. } if !self.flows.is_empty() => {
                Some((*index).min(self.flows.len() - 1))
            }
            _ => None,
        }
    }

    /// The state of a task of this unit `elapsed` after it was accepted.
    pub(crate) fn observe(&self, elapsed: Duration) -> TaskView<'_> {
        let all = |status| {
            let flows = self.flows.iter().map(|_| FlowView::waiting(status));
            flows.collect()
        };
        if elapsed < self.queue {
            return TaskView {
                status: TaskStatus::Queuing,
                error: None,
                flows: all(FlowStatus::Queuing),
            };
        }
        if let Ending::NeverRan { code, message } = &self.ending {
            return TaskView {
                status: TaskStatus::Failure,
                error: Some((code, message)),
                flows: all(FlowStatus::Cancel),
            };
        }
        let failing = self.failing_flow();
        let mut flows = Vec::with_capacity(self.flows.len());
        let mut status = TaskStatus::Success;
        let mut start = self.queue;
        for (index, (_, duration)) in self.flows.iter().enumerate() {
            let view = match status {
                TaskStatus::Failure => FlowView::waiting(FlowStatus::Cancel),
                TaskStatus::Running | TaskStatus::Queuing => FlowView::waiting(FlowStatus::Queuing),
                TaskStatus::Success => {
                    let end = start.saturating_add(*duration);
                    let view = if elapsed < end {
                        status = TaskStatus::Running;
                        FlowView::timed(FlowStatus::Running, start, None)
                    } else if failing == Some(index) {
                        status = TaskStatus::Failure;
                        FlowView::timed(FlowStatus::Failure, start, Some(end))
                    } else {
                        FlowView::timed(FlowStatus::Success, start, Some(end))
                    };
                    start = end;
                    view
                }
            };
            flows.push(view);
        }
        let error = match (&status, &self.ending) {
            (TaskStatus::Failure, Ending::FailAt { code, message, .. }) => Some((code, message)),
            _ => None,
        };
        TaskView {
            status,
            error: error.map(|(code, message)| (code.as_str(), message.as_str())),
            flows,
        }
    }
}

impl fmt::Display for Unit {
    /// `queue 1s -> import-orders 2s -> update-stock 3s -> Success`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue {}", crate::fmt_duration(self.queue))?;
        for (name, duration) in &self.flows {
            write!(f, " -> {name} {}", crate::fmt_duration(*duration))?;
        }
        match (&self.ending, self.failing_flow()) {
            (Ending::NeverRan { code, .. }, _) => {
                write!(f, " -> Failure (errorCode {code}, no flow runs)")
            }
            (Ending::FailAt { code, .. }, Some(index)) => {
                let flow = self.flows.get(index).map_or("", |(name, _)| name.as_str());
                write!(f, " -> Failure (errorCode {code} in {flow})")
            }
            _ => f.write_str(" -> Success"),
        }
    }
}

/// `taskStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskStatus {
    Queuing,
    Running,
    Success,
    Failure,
}

impl TaskStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queuing => "Queuing",
            TaskStatus::Running => "Running",
            TaskStatus::Success => "Success",
            TaskStatus::Failure => "Failure",
        }
    }

    pub(crate) fn is_active(self) -> bool {
        matches!(self, TaskStatus::Queuing | TaskStatus::Running)
    }
}

/// `flowInfo[].status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowStatus {
    Queuing,
    Running,
    Success,
    Failure,
    Cancel,
}

impl FlowStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FlowStatus::Queuing => "Queuing",
            FlowStatus::Running => "Running",
            FlowStatus::Success => "Success",
            FlowStatus::Failure => "Failure",
            FlowStatus::Cancel => "Cancel",
        }
    }
}

/// One flow of a task at one moment; offsets count from the task's acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FlowView {
    pub(crate) status: FlowStatus,
    /// `None` for a flow that has not started (and never will, if canceled).
    pub(crate) started: Option<Duration>,
    /// `None` while the flow has not ended.
    pub(crate) ended: Option<Duration>,
}

impl FlowView {
    fn waiting(status: FlowStatus) -> Self {
        Self {
            status,
            started: None,
            ended: None,
        }
    }

    fn timed(status: FlowStatus, started: Duration, ended: Option<Duration>) -> Self {
        Self {
            status,
            started: Some(started),
            ended,
        }
    }
}

/// A task at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaskView<'a> {
    pub(crate) status: TaskStatus,
    /// `errorCode` and `errorMessage`, only once the task has failed.
    pub(crate) error: Option<(&'a str, &'a str)>,
    pub(crate) flows: Vec<FlowView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn statuses(view: &TaskView<'_>) -> (TaskStatus, Vec<FlowStatus>) {
        (view.status, view.flows.iter().map(|f| f.status).collect())
    }

    fn two_flows() -> Unit {
        Unit::new("u").queue(S(1)).flow("a", S(2)).flow("b", S(3))
    }

    #[test]
    fn flows_run_in_order_after_the_queue() {
        use FlowStatus as F;
        let unit = two_flows();
        let at = |secs| statuses(&unit.observe(S(secs)));
        assert_eq!(at(0), (TaskStatus::Queuing, vec![F::Queuing, F::Queuing]));
        assert_eq!(at(1), (TaskStatus::Running, vec![F::Running, F::Queuing]));
        assert_eq!(at(3), (TaskStatus::Running, vec![F::Success, F::Running]));
        assert_eq!(at(6), (TaskStatus::Success, vec![F::Success, F::Success]));
        let done = unit.observe(S(60));
        assert_eq!(done.flows[1].started, Some(S(3)));
        assert_eq!(done.flows[1].ended, Some(S(6)));
        assert_eq!(done.error, None);
        let running = unit.observe(S(4));
        assert_eq!(running.flows[1].started, Some(S(3)));
        assert_eq!(running.flows[1].ended, None);
        assert_eq!(running.flows[0].ended, Some(S(3)));
        assert_eq!(unit.total(), S(6));
    }

    #[test]
    fn failing_flow_cancels_the_rest() {
        use FlowStatus as F;
        let unit = two_flows().flow("c", S(1)).fail_at(1, "33", "bad");
        assert_eq!(unit.total(), S(6));
        let failed = unit.observe(S(6));
        assert_eq!(
            statuses(&failed),
            (TaskStatus::Failure, vec![F::Success, F::Failure, F::Cancel])
        );
        assert_eq!(failed.error, Some(("33", "bad")));
        assert_eq!(failed.flows[1].ended, Some(S(6)));
        assert_eq!(failed.flows[2].started, None);
        assert_eq!(unit.observe(S(5)).error, None);
        // An index past the end fails the last flow.
        let last = two_flows().fail_at(9, "1", "m");
        assert_eq!(last.observe(S(6)).flows[1].status, F::Failure);
    }

    #[test]
    fn never_ran_fails_after_the_queue_with_every_flow_canceled() {
        use FlowStatus as F;
        let unit = two_flows().fail_at(0, "33", "x").never_ran("134", "busy");
        assert_eq!(unit.total(), S(1));
        assert_eq!(statuses(&unit.observe(S(0))).0, TaskStatus::Queuing);
        let failed = unit.observe(S(1));
        assert_eq!(
            statuses(&failed),
            (TaskStatus::Failure, vec![F::Cancel, F::Cancel])
        );
        assert_eq!(failed.error, Some(("134", "busy")));
        // The last of fail_at / never_ran decides.
        let unit = two_flows().never_ran("134", "busy").fail_at(0, "33", "x");
        assert_eq!(unit.observe(S(3)).error, Some(("33", "x")));
    }

    #[test]
    fn display() {
        assert_eq!(
            two_flows().to_string(),
            "queue 1s -> a 2s -> b 3s -> Success"
        );
        assert_eq!(
            two_flows().never_ran("134", "m").to_string(),
            "queue 1s -> a 2s -> b 3s -> Failure (errorCode 134, no flow runs)"
        );
    }
}
