use std::{convert::Infallible, fmt, str::FromStr};

use chrono::{DateTime, FixedOffset};
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

    /// The instant with the vendor's UTC offset, if the text is RFC 3339.
    pub fn parse(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(&self.0).ok()
    }
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
        assert!(
            VendorTime::from_str("2012-10-05T18:07:04 JST")
                .expect("infallible")
                .parse()
                .is_none()
        );
    }
}
