//! Usage of a quota resource against its limit: the thresholds announced (80 % and 100 %), and
//! when a new figure crosses one. A crossing is announced once; the threshold is announced
//! again only after usage has fallen back below it.

/// The thresholds, in percent of the limit, from the highest.
pub const THRESHOLDS: [i32; 2] = [100, 80];

/// The highest threshold `used` has reached of `limit` (0: none).
pub fn level(used: i64, limit: i64) -> i32 {
    if limit <= 0 {
        return if used > 0 { 100 } else { 0 };
    }
    THRESHOLDS
        .into_iter()
        .find(|t| i128::from(used) * 100 >= i128::from(limit) * i128::from(*t))
        .unwrap_or(0)
}

/// Usage in whole percent of the limit, for showing (rounded down; above 100 when over).
pub fn percent(used: i64, limit: i64) -> i64 {
    if limit <= 0 {
        return 0;
    }
    i64::try_from(i128::from(used.max(0)) * 100 / i128::from(limit)).unwrap_or(i64::MAX)
}

/// What a new figure does: the level to keep, and the threshold to announce if one was newly
/// crossed upward.
pub fn crossing(announced: i32, used: i64, limit: i64) -> (i32, Option<i32>) {
    let now = level(used, limit);
    if now > announced {
        (now, Some(now))
    } else {
        // Falling back below re-arms the thresholds above.
        (now, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_crossing_is_announced_once_and_again_after_falling_back() {
        let limit = 500;
        let mut announced = 0;
        let mut told = Vec::new();
        for used in [100, 399, 400, 420, 480, 500, 520, 510, 390, 300, 410, 501] {
            let (keep, tell) = crossing(announced, used, limit);
            announced = keep;
            told.extend(tell.map(|t| (used, t)));
        }
        assert_eq!(told, vec![(400, 80), (500, 100), (410, 80), (501, 100)]);
    }

    #[test]
    fn levels_and_percent_at_the_edges() {
        assert_eq!(level(79, 100), 0);
        assert_eq!(level(80, 100), 80);
        assert_eq!(level(99, 100), 80);
        assert_eq!(level(100, 100), 100);
        assert_eq!(level(i64::MAX, 1), 100);
        assert_eq!(level(0, 0), 0);
        assert_eq!(percent(420, 500), 84);
        assert_eq!(percent(525, 500), 105);
        assert_eq!(percent(5, 0), 0);
    }
}
