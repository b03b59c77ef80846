use std::{convert::Infallible, fmt, str::FromStr};

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp as a vendor sent it.
///
/// Decoding never fails on an unexpected format (a vendor changing its time format must not
/// break status polling), and re-encoding gives back exactly the text received. Use
/// [`VendorTime::parse`] for the instant with its UTC offset.
///
/// ```
/// use jobrun_transport::VendorTime;
///
/// let t: VendorTime = "2023-05-19T19:15:00.000+09:00".parse().unwrap();
/// assert_eq!(t.parse().unwrap().to_rfc3339(), "2023-05-19T19:15:00+09:00");
/// assert_eq!(t.to_string(), "2023-05-19T19:15:00.000+09:00");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VendorTime(String);

impl VendorTime {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant with the vendor's UTC offset, if the text is RFC 3339 or a local time
    /// followed by a zone abbreviation whose offset is unambiguous (ASTERIA Warp writes
    /// `2012-10-05T18:07:04 JST`). Anything else is `None`, never a guess: `CST` or `IST`
    /// name several zones, and a wrong offset would be worse than none.
    pub fn parse(&self) -> Option<DateTime<FixedOffset>> {
        if let Ok(t) = DateTime::parse_from_rfc3339(&self.0) {
            return Some(t);
        }
        let (local, zone) = self.0.trim().rsplit_once(' ')?;
        let offset = FixedOffset::east_opt(abbreviation_offset(zone)?)?;
        let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()?;
        offset.from_local_datetime(&local).single()
    }
}

/// Seconds east of UTC for the zone abbreviations that mean one offset only.
fn abbreviation_offset(zone: &str) -> Option<i32> {
    const H: i32 = 3600;
    Some(match zone {
        "UTC" | "GMT" | "Z" | "UT" => 0,
        "JST" | "KST" => 9 * H,
        "HKT" => 8 * H,
        "SGT" => 8 * H,
        "AEST" => 10 * H,
        "AEDT" => 11 * H,
        "CET" => H,
        "CEST" => 2 * H,
        "EET" => 2 * H,
        "EEST" => 3 * H,
        "WET" => 0,
        "WEST" => H,
        "EST" => -5 * H,
        "EDT" => -4 * H,
        "CDT" => -5 * H,
        "MST" => -7 * H,
        "MDT" => -6 * H,
        "PST" => -8 * H,
        "PDT" => -7 * H,
        _ => return None,
    })
}

impl fmt::Debug for VendorTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for VendorTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for VendorTime {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl From<DateTime<FixedOffset>> for VendorTime {
    fn from(t: DateTime<FixedOffset>) -> Self {
        Self(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
    }
}

impl Serialize for VendorTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for VendorTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_formats_decode_and_round_trip_exactly() {
        for text in [
            "2023-05-19T19:15:00.000+09:00",
            "2012-10-05T18:07:04 JST",
            "",
        ] {
            let json = serde_json::to_string(text).expect("string");
            let t: VendorTime = serde_json::from_str(&json).expect("never fails on a string");
            assert_eq!(serde_json::to_string(&t).expect("encodes"), json);
        }
    }

    #[test]
    fn parse_keeps_the_offset() {
        let t = VendorTime::from_str("2023-05-19T19:15:00.000+09:00").expect("infallible");
        let parsed = t.parse().expect("rfc3339");
        assert_eq!(parsed.offset().local_minus_utc(), 9 * 3600);
    }

    #[test]
    fn zone_abbreviations_with_one_meaning_parse_and_others_stay_text() {
        let parse = |s: &str| VendorTime::from_str(s).expect("infallible").parse();
        let jst = parse("2012-10-05T18:07:04 JST").expect("JST");
        assert_eq!(jst.to_rfc3339(), "2012-10-05T18:07:04+09:00");
        assert_eq!(
            parse("2012-10-05T09:07:04 UTC").map(|t| t.timestamp()),
            Some(jst.timestamp())
        );
        assert_eq!(
            parse("2012-10-05T09:07:04 GMT").map(|t| t.timestamp()),
            Some(jst.timestamp())
        );
        assert_eq!(
            parse("2012-10-05T05:07:04 EDT").map(|t| t.offset().local_minus_utc()),
            Some(-4 * 3600)
        );
        for text in [
            "2012-10-05T18:07:04 CST",
            "2012-10-05T18:07:04 IST",
            "2012-10-05T18:07:04 XYZ",
            "2012-13-05T18:07:04 JST",
            "JST",
            "",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
