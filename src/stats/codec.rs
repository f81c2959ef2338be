//! How a replication's figures are written and read back exactly (`serde`), so that
//! `rappel merge` folds the replications that shards simulated on other machines as if they
//! had just been simulated here ([`crate::output::shard`]).
//!
//! Most types derive their encoding; this module holds the few written by hand: arrays
//! longer than serde's 32 elements, the wait histogram (its recorded values and counts) and
//! the interval cells (every cell in order, spilled ones read back from disk).

use super::cells::Cells;
use super::histogram::WaitHistogram;
use super::intervals::IntervalStats;
use serde::de::Error as _;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `#[serde(with = "codec::array")]` for an array of any length, as a sequence.
pub(crate) mod array {
    use super::*;

    /// Writes the array as a sequence.
    pub(crate) fn serialize<S: Serializer, T: Serialize, const N: usize>(
        a: &[T; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(a.iter())
    }

    /// Reads a sequence of exactly `N` elements.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>, const N: usize>(
        d: D,
    ) -> Result<[T; N], D::Error> {
        let v = Vec::<T>::deserialize(d)?;
        let n = v.len();
        v.try_into()
            .map_err(|_| D::Error::invalid_length(n, &format!("{N} elements").as_str()))
    }
}

impl Serialize for WaitHistogram {
    /// Each recorded value (the highest of its bucket, milliseconds) with its count.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let recorded: Vec<(u64, u64)> = self.recorded().collect();
        recorded.serialize(s)
    }
}

impl<'de> Deserialize<'de> for WaitHistogram {
    /// Records each value its count of times: the same buckets, so the same quantiles,
    /// counts, extremes and sums of histograms.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let recorded = Vec::<(u64, u64)>::deserialize(d)?;
        let mut h = WaitHistogram::new();
        for (ms, count) in recorded {
            h.record_count(ms, count).map_err(D::Error::custom)?;
        }
        Ok(h)
    }
}

impl Serialize for Cells {
    /// Every cell in order; a spill file that cannot be read is an error.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for cell in self.try_iter() {
            let cell = cell.map_err(|e| S::Error::custom(format!("interval cells: {e}")))?;
            seq.serialize_element(&cell)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Cells {
    /// The cells, in memory.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<IntervalStats>::deserialize(d).map(Cells::from)
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use crate::stats::ReplicationResult;

    const TINY: &str = r#"
        name = "tiny"
        [simulation]
        horizon = "4h"
        replications = 2
        [arrivals]
        rate_per_hour = 120
        [[ticket_types]]
        name = "general"
        handle_time = { dist = "exponential", mean = "4m" }
        patience = { dist = "exponential", mean = "2m" }
        [[teams]]
        name = "agents"
        agents = 7
        serves = ["general"]
    "#;

    #[test]
    fn a_replication_reads_back_exactly() {
        let s = Scenario::from_toml(TINY, "tiny.toml").unwrap();
        let rep = crate::centre::simulate(&s, 1);
        let bytes = postcard::to_stdvec(&rep).unwrap();
        let back: ReplicationResult = postcard::from_bytes(&bytes).unwrap();
        let bits = |r: &ReplicationResult| r.metrics.map(f64::to_bits);
        assert_eq!(bits(&back), bits(&rep));
        assert_eq!(back.replication, 1);
        assert_eq!(back.intervals, rep.intervals);
        assert_eq!(back.first_interval, rep.first_interval);
        assert_eq!(back.counts.offered, rep.counts.offered);
        assert_eq!(
            back.counts.min_wait.to_bits(),
            rep.counts.min_wait.to_bits()
        );
        assert_eq!(back.csat_counts, rep.csat_counts);
        assert_eq!(
            back.drivers.map(f64::to_bits),
            rep.drivers.map(f64::to_bits)
        );
        assert_eq!(
            format!("{:?}", back.breakdown),
            format!("{:?}", rep.breakdown)
        );
        assert_eq!(back.busyness, rep.busyness);
        let waits = |r: &ReplicationResult| r.waits.recorded().collect::<Vec<_>>();
        assert_eq!(waits(&back), waits(&rep));
        assert!(!rep.waits.is_empty());
        for q in [0.0, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(back.waits.quantile(q), rep.waits.quantile(q));
        }
        assert_eq!(back.waits.max(), rep.waits.max());
    }
}
