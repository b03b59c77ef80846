//! Reading what a client sent: form-encoded parameters, checked in the order the seed lists
//! them. Bad input becomes a [`Refusal`], never a panic, and nothing here touches state.

use chrono::NaiveDate;

use super::answer::Refusal;
use super::request::{Status, Stored, View};

/// `page` when absent.
const DEFAULT_PAGE: usize = 1;
/// `size` when absent, as documented.
const DEFAULT_SIZE: usize = 50;

/// Parameters of a query string or an `x-www-form-urlencoded` body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `a=1&b=2`; bytes that are not UTF-8 are decoded lossily.
    pub(crate) fn parse(encoded: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(encoded)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`. An empty value counts as absent: the seed's optional
    /// parameters are filters, and `domain=&user=` from a form means "no filter".
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    fn required(&self, name: &'static str) -> Result<&str, Refusal> {
        self.get(name).ok_or(Refusal::Missing(name))
    }

    fn date(&self, name: &'static str) -> Result<Option<NaiveDate>, Refusal> {
        self.get(name)
            .map(|text| parse_date(text).ok_or_else(|| Refusal::BadDate(text.to_owned())))
            .transpose()
    }

    fn number(&self, name: &'static str, default: usize) -> Result<usize, Refusal> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        text.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse::<usize>().ok())
            .flatten()
            .filter(|number| *number > 0)
            .ok_or_else(|| Refusal::BadNumber(name, text.to_owned()))
    }
}

/// `YYYYMMDD`: exactly eight digits naming a real calendar date.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text.get(..4)?.parse().ok()?;
    let month = text.get(4..6)?.parse().ok()?;
    let day = text.get(6..)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The login form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Login {
    pub(crate) user: String,
    pub(crate) password: String,
}

pub(crate) fn login(params: &Params) -> Result<Login, Refusal> {
    let user = params.required("userName")?.to_owned();
    let password = params.required("password")?.to_owned();
    Ok(Login { user, password })
}

/// `list`'s parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub(crate) date: Option<NaiveDate>,
    domain: Option<String>,
    user: Option<String>,
    project: Option<String>,
    flow: Option<String>,
    status: Option<Status>,
    pub(crate) page: usize,
    pub(crate) size: usize,
}

pub(crate) fn list(params: &Params) -> Result<ListQuery, Refusal> {
    let date = params.date("date")?;
    let text = |name| params.get(name).map(str::to_owned);
    let status = params
        .get("status")
        .map(|value| Status::parse(value).ok_or_else(|| Refusal::BadStatus(value.to_owned())))
        .transpose()?;
    Ok(ListQuery {
        date,
        domain: text("domain"),
        user: text("user"),
        project: text("project"),
        flow: text("flow"),
        status,
        page: params.number("page", DEFAULT_PAGE)?,
        size: params.number("size", DEFAULT_SIZE)?,
    })
}

impl ListQuery {
    /// Whether `stored`, as `view` shows it now, passes every filter given.
    pub(crate) fn matches(&self, stored: &Stored, view: &View) -> bool {
        let spec = &stored.spec;
        let (domain, user) = owner_parts(&spec.owner);
        self.domain
            .as_deref()
            .is_none_or(|wanted| wanted.trim_matches('/') == domain)
            && self.user.as_deref().is_none_or(|wanted| {
                if wanted.contains('/') {
                    wanted.trim_matches('/') == spec.owner.trim_matches('/')
                } else {
                    wanted == user
                }
            })
            && self.project.as_deref().is_none_or(|p| p == spec.project)
            && self.flow.as_deref().is_none_or(|f| f == spec.flow)
            && self.status.is_none_or(|s| s == view.status)
    }
}

/// `/guest` → (`""`, `guest`); `/sales/taro` → (`sales`, `taro`); `/a/b/c` → (`a/b`, `c`).
pub(crate) fn owner_parts(owner: &str) -> (&str, &str) {
    let owner = owner.trim_matches('/');
    owner.rsplit_once('/').unwrap_or(("", owner))
}

/// `show`'s parameters: the request id and the optional date.
pub(crate) fn show(params: &Params) -> Result<(String, Option<NaiveDate>), Refusal> {
    let request_id = params.required("requestId")?.to_owned();
    Ok((request_id, params.date("date")?))
}

/// `rerun`'s form: the date and the request id, both required.
pub(crate) fn rerun(params: &Params) -> Result<(NaiveDate, String), Refusal> {
    let date = params.date("date")?.ok_or(Refusal::Missing("date"))?;
    let request_id = params.required("requestId")?.to_owned();
    Ok((date, request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> Params {
        Params::parse(text.as_bytes())
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("20121005"), NaiveDate::from_ymd_opt(2012, 10, 5));
        assert_eq!(parse_date("20240229"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in [
            "2012105",
            "201210055",
            "2012-10-05",
            "20121305",
            "20230229",
            "+2012100",
            "２０１２１００５",
            "20121000",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn list_defaults_and_errors() {
        let query = list(&params("domain=&user=&status=&page=&size=")).unwrap();
        assert_eq!((query.date, query.page, query.size), (None, 1, 50));
        assert_eq!(
            list(&params("status=done")),
            Err(Refusal::BadStatus("done".into()))
        );
        assert_eq!(
            list(&params("status=Error")),
            Err(Refusal::BadStatus("Error".into()))
        );
        // The date is checked first, in the seed's parameter order.
        assert_eq!(
            list(&params("status=x&date=1")),
            Err(Refusal::BadDate("1".into()))
        );
        for (sent, bad) in [
            ("0", "0"),
            ("-1", "-1"),
            ("%2B2", "+2"),
            ("+2", " 2"),
            ("1.5", "1.5"),
            ("x", "x"),
            ("99999999999999999999999", "99999999999999999999999"),
        ] {
            assert_eq!(
                list(&params(&format!("page={sent}"))),
                Err(Refusal::BadNumber("page", bad.into())),
                "{sent}"
            );
        }
        assert_eq!(
            list(&params("size=0")),
            Err(Refusal::BadNumber("size", "0".into()))
        );
        let query = list(&params("page=3&size=2&date=20121005")).unwrap();
        assert_eq!((query.page, query.size), (3, 2));
        assert_eq!(query.date, NaiveDate::from_ymd_opt(2012, 10, 5));
    }

    #[test]
    fn first_value_wins() {
        assert_eq!(params("a=1&a=2").get("a"), Some("1"));
        assert_eq!(params("a=x%20y+z").get("a"), Some("x y z"));
        assert_eq!(params("a").get("a"), None);
    }

    #[test]
    fn owners_split_into_domain_and_user() {
        assert_eq!(owner_parts("/guest"), ("", "guest"));
        assert_eq!(owner_parts("/sales/taro"), ("sales", "taro"));
        assert_eq!(owner_parts("/a/b/c"), ("a/b", "c"));
        assert_eq!(owner_parts("guest"), ("", "guest"));
    }

    #[test]
    fn show_and_rerun_need_their_parameters() {
        assert_eq!(
            show(&params("date=20121005")),
            Err(Refusal::Missing("requestId"))
        );
        assert_eq!(
            show(&params("requestId=r&date=2012")),
            Err(Refusal::BadDate("2012".into()))
        );
        assert_eq!(show(&params("requestId=r")), Ok(("r".into(), None)));
        assert_eq!(rerun(&params("requestId=r")), Err(Refusal::Missing("date")));
        assert_eq!(
            rerun(&params("date=20121005")),
            Err(Refusal::Missing("requestId"))
        );
        assert_eq!(
            rerun(&params("date=2012-10-05&requestId=r")),
            Err(Refusal::BadDate("2012-10-05".into()))
        );
        assert_eq!(
            login(&params("password=p")),
            Err(Refusal::Missing("userName"))
        );
    }
}
