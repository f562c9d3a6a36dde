//! Hybrid logical clock (Kulkarni et al.): stamps that follow the wall clock
//! when it behaves, stay strictly increasing when it jumps backwards, and order
//! causally across devices. Pure functions over values; the store persists the
//! last stamp so a restart (or a second process) never reissues one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// How far ahead of our wall clock a received stamp may be before we refuse
/// to follow it (a device with a clock days wrong must not drag everyone on).
pub const MAX_FORWARD_DRIFT_MS: u64 = 5 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Clock {
    pub wall_ms: u64,
    pub counter: u32,
}

impl Clock {
    pub const ZERO: Clock = Clock {
        wall_ms: 0,
        counter: 0,
    };

    /// The next stamp for a local event, given the wall clock reading `now_ms`.
    pub fn tick(self, now_ms: u64) -> Clock {
        if now_ms > self.wall_ms {
            Clock {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            self.bump()
        }
    }

    /// The next stamp after receiving `remote`, which must not run more than
    /// `MAX_FORWARD_DRIFT_MS` ahead of our wall clock.
    pub fn receive(self, remote: Clock, now_ms: u64) -> Result<Clock, ClockTooFarAhead> {
        if remote.wall_ms > now_ms.saturating_add(MAX_FORWARD_DRIFT_MS) {
            return Err(ClockTooFarAhead {
                ahead_ms: remote.wall_ms - now_ms,
            });
        }
        let wall = self.wall_ms.max(remote.wall_ms).max(now_ms);
        let next = if wall == self.wall_ms && wall == remote.wall_ms {
            Clock {
                wall_ms: wall,
                counter: self.counter.max(remote.counter),
            }
            .bump()
        } else if wall == self.wall_ms {
            self.bump()
        } else if wall == remote.wall_ms {
            remote.bump()
        } else {
            Clock {
                wall_ms: wall,
                counter: 0,
            }
        };
        Ok(next)
    }

    pub(crate) fn bump(self) -> Clock {
        match self.counter.checked_add(1) {
            Some(counter) => Clock {
                wall_ms: self.wall_ms,
                counter,
            },
            // Counter exhausted within one millisecond: borrow the next one.
            None => Clock {
                wall_ms: self.wall_ms + 1,
                counter: 0,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a clock is {ahead_ms} ms ahead of this device's")]
pub struct ClockTooFarAhead {
    pub ahead_ms: u64,
}

/// A clock plus the device that issued it: a total order across devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub clock: Clock,
    pub device: Uuid,
}

impl fmt::Display for Stamp {
    /// Fixed-width hex, so the text sorts exactly as the stamp does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:012x}.{:08x}.{}",
            self.clock.wall_ms,
            self.clock.counter,
            self.device.simple()
        )
    }
}

impl FromStr for Stamp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('.');
        let (Some(wall), Some(counter), Some(device), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("malformed clock stamp {s:?}"));
        };
        let bad = |_| format!("malformed clock stamp {s:?}");
        Ok(Stamp {
            clock: Clock {
                wall_ms: u64::from_str_radix(wall, 16).map_err(bad)?,
                counter: u32::from_str_radix(counter, 16).map_err(bad)?,
            },
            device: Uuid::parse_str(device).map_err(|_| format!("malformed clock stamp {s:?}"))?,
        })
    }
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clock() -> impl Strategy<Value = Clock> {
        (0u64..1u64 << 44, any::<u32>()).prop_map(|(wall_ms, counter)| Clock { wall_ms, counter })
    }

    proptest! {
        // Whatever the wall clock does (jumps back, stands still, leaps), local
        // stamps strictly increase and never fall behind the wall clock.
        #[test]
        fn ticks_are_strictly_monotonic(start in clock(), readings in prop::collection::vec(0u64..1u64 << 44, 1..200)) {
            let mut last = start;
            for now in readings {
                let next = last.tick(now);
                prop_assert!(next > last);
                prop_assert!(next.wall_ms >= now);
                last = next;
            }
        }

        #[test]
        fn receive_orders_after_both(local in clock(), remote in clock(), now in 0u64..1u64 << 44) {
            match local.receive(remote, now) {
                Ok(next) => {
                    prop_assert!(next > local);
                    prop_assert!(next > remote);
                    prop_assert!(next.wall_ms >= now);
                }
                Err(e) => {
                    prop_assert!(remote.wall_ms > now + MAX_FORWARD_DRIFT_MS);
                    prop_assert_eq!(e.ahead_ms, remote.wall_ms - now);
                }
            }
        }

        // The text form sorts exactly like the stamp, so SQL can compare it.
        #[test]
        fn text_form_sorts_like_stamps(a in clock(), b in clock(), da in any::<u128>(), db in any::<u128>()) {
            let sa = Stamp { clock: a, device: Uuid::from_u128(da) };
            let sb = Stamp { clock: b, device: Uuid::from_u128(db) };
            prop_assert_eq!(sa.cmp(&sb), sa.to_string().cmp(&sb.to_string()));
            prop_assert_eq!(sa.to_string().parse::<Stamp>().unwrap(), sa);
        }
    }

    #[test]
    fn counter_overflow_borrows_the_next_millisecond() {
        let full = Clock {
            wall_ms: 10,
            counter: u32::MAX,
        };
        assert_eq!(
            full.tick(5),
            Clock {
                wall_ms: 11,
                counter: 0
            }
        );
    }

    #[test]
    fn refuses_a_remote_clock_far_ahead() {
        let day = 24 * 3600 * 1000;
        let remote = Clock {
            wall_ms: 1_000 + day,
            counter: 0,
        };
        assert!(Clock::ZERO.receive(remote, 1_000).is_err());
    }
}
