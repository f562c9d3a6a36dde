//! Report tables as they are published, and the small-number rule that keeps
//! a person from being picked out of one.
//!
//! A breakdown (say, engagement by ethnicity) is a table of counts with its
//! row and column totals. Any count from 1 to 4 is shown as "<5" (primary
//! suppression). A line (a row or a column, with its total) whose hidden
//! entries could be worked out by subtraction would give them away: exactly
//! one hidden entry, or hidden counts that add up to 1–4 beside a shown
//! total. There the smallest shown count above zero is withheld too ("*",
//! complementary suppression), until no line gives anything away. Zero is
//! shown: it names no one. Shown figures are never altered.
//!
//! A share is published as a table too (columns "yes" and "no", the total
//! the denominator), so a share is shown only where both of its counts are.

use serde::{Deserialize, Serialize};

mod compute;
pub(crate) mod html;
pub use compute::{
    compute, outreach, Assessed, Breakdown, CaseFacts, Measure, Occurred, Report, Scope, Section,
    Teams,
};
pub use html::{bar_chart, bar_chart_in, distance_chart, distance_chart_in, html, words};

/// The smallest count shown as itself (other than zero).
pub const SMALLEST_SHOWN: u64 = 5;

/// One published figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Count(u64),
    /// From 1 to 4: shown as "<5".
    Small,
    /// Any size, withheld so that a small one cannot be worked out: "*".
    Withheld,
}

impl Figure {
    pub fn count(self) -> Option<u64> {
        match self {
            Figure::Count(n) => Some(n),
            Figure::Small | Figure::Withheld => None,
        }
    }

    pub fn is_hidden(self) -> bool {
        self.count().is_none()
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Count(n) => write!(f, "{n}"),
            Figure::Small => write!(f, "<{SMALLEST_SHOWN}"),
            Figure::Withheld => write!(f, "*"),
        }
    }
}

/// A table of counts with its totals, ready to publish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Figure>>,
    pub row_totals: Vec<Figure>,
    pub column_totals: Vec<Figure>,
    pub total: Figure,
}

impl Table {
    /// Publishes `counts[row][column]` under the small-number rule. Each row
    /// must have one count per column, and there must be a column.
    pub fn publish(rows: Vec<String>, columns: Vec<String>, counts: &[Vec<u64>]) -> Table {
        let none = vec![vec![0; columns.len() + 1]; rows.len() + 1];
        Table::publish_with(rows, columns, counts, &[], &none)
    }

    /// As `publish`, with the entries `hide` (row, column; the totals at
    /// `rows.len()` and `columns.len()`) withheld from the start (a figure
    /// another table hides), and where a line must withhold one more, the
    /// entry of least `cost` (then the smallest) withheld.
    pub fn publish_with(
        rows: Vec<String>,
        columns: Vec<String>,
        counts: &[Vec<u64>],
        hide: &[(usize, usize)],
        cost: &[Vec<u64>],
    ) -> Table {
        assert_eq!(rows.len(), counts.len(), "one row of counts per row name");
        assert!(!columns.is_empty(), "a table has a column");
        assert!(
            counts.iter().all(|r| r.len() == columns.len()),
            "one count per column in every row"
        );
        // The whole grid, totals last in each row and column.
        let (r, c) = (rows.len(), columns.len());
        let mut grid: Vec<Vec<u64>> = counts
            .iter()
            .map(|row| {
                let mut row = row.clone();
                row.push(row.iter().sum());
                row
            })
            .collect();
        grid.push(
            (0..=c)
                .map(|j| grid.iter().map(|row| row[j]).sum())
                .collect(),
        );
        let shown = publish_grid(&grid, hide, cost);
        Table {
            cells: (0..r).map(|i| shown[i][..c].to_vec()).collect(),
            row_totals: (0..r).map(|i| shown[i][c]).collect(),
            column_totals: shown[r][..c].to_vec(),
            total: shown[r][c],
            rows,
            columns,
        }
    }
}

/// Each entry of a grid (totals last in each row and column) as published.
fn publish_grid(grid: &[Vec<u64>], hide: &[(usize, usize)], cost: &[Vec<u64>]) -> Vec<Vec<Figure>> {
    let mut shown: Vec<Vec<Figure>> = grid
        .iter()
        .map(|row| {
            row.iter()
                .map(|&n| match (1..SMALLEST_SHOWN).contains(&n) {
                    true => Figure::Small,
                    false => Figure::Count(n),
                })
                .collect()
        })
        .collect();
    for &(i, j) in hide {
        if grid[i][j] > 0 && !shown[i][j].is_hidden() {
            shown[i][j] = Figure::Withheld;
        }
    }
    let (height, width) = (grid.len(), grid[0].len());
    // Each line lists its counts, then its total.
    let lines: Vec<Vec<(usize, usize)>> = (0..height)
        .map(|i| (0..width).map(|j| (i, j)).collect())
        .chain((0..width).map(|j| (0..height).map(|i| (i, j)).collect()))
        .collect();
    // Each pass withholds one more entry, so this ends.
    loop {
        let Some(line) = lines.iter().find(|line| gives_away(line, grid, &shown)) else {
            return shown;
        };
        let &(i, j) = line
            .iter()
            .filter(|&&(i, j)| !shown[i][j].is_hidden() && grid[i][j] > 0)
            .min_by_key(|&&(i, j)| (cost[i][j], grid[i][j]))
            .expect("a line that gives something away has a shown count above zero");
        shown[i][j] = Figure::Withheld;
    }
}

/// Whether a line's hidden entries can be worked out from what it shows.
fn gives_away(line: &[(usize, usize)], grid: &[Vec<u64>], shown: &[Vec<Figure>]) -> bool {
    let hidden = line
        .iter()
        .filter(|&&(i, j)| shown[i][j].is_hidden())
        .count();
    let (&(ti, tj), counts) = line.split_last().expect("a line has a total");
    let hidden_sum: u64 = counts
        .iter()
        .filter(|&&(i, j)| shown[i][j].is_hidden())
        .map(|&(i, j)| grid[i][j])
        .sum();
    hidden == 1 || (!shown[ti][tj].is_hidden() && (1..SMALLEST_SHOWN).contains(&hidden_sum))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(n: usize, what: &str) -> Vec<String> {
        (0..n).map(|i| format!("{what} {i}")).collect()
    }

    fn publish(counts: &[Vec<u64>]) -> Table {
        Table::publish(
            names(counts.len(), "row"),
            names(counts[0].len(), "column"),
            counts,
        )
    }

    /// Every entry with its true value, one line (row or column, total
    /// last) at a time.
    fn lines(t: &Table, counts: &[Vec<u64>]) -> Vec<Vec<(Figure, u64)>> {
        let total: u64 = counts.iter().flatten().sum();
        let mut grid: Vec<Vec<(Figure, u64)>> = counts
            .iter()
            .zip(&t.cells)
            .zip(&t.row_totals)
            .map(|((truths, shown), row_total)| {
                let mut row: Vec<_> = shown.iter().copied().zip(truths.iter().copied()).collect();
                row.push((*row_total, truths.iter().sum()));
                row
            })
            .collect();
        let mut last: Vec<_> = t
            .column_totals
            .iter()
            .enumerate()
            .map(|(j, f)| (*f, counts.iter().map(|row| row[j]).sum()))
            .collect();
        last.push((t.total, total));
        grid.push(last);
        let columns = (0..grid[0].len()).map(|j| grid.iter().map(|row| row[j]).collect());
        grid.clone().into_iter().chain(columns).collect()
    }

    #[test]
    fn a_small_count_and_the_ones_that_would_give_it_away_are_hidden() {
        // Engaged / not engaged, by area: 3 rural women did not engage.
        let t = publish(&[vec![40, 12], vec![20, 3]]);
        assert_eq!(t.cells[1][1], Figure::Small, "3 is under 5");
        assert_eq!(t.cells[1][1].to_string(), "<5");
        // Row 1 (20, <5, 23) would give the 3 away: its smallest other count
        // (20) is withheld; then column 0 (40, *, 60) would give the 20 away,
        // and so on until no line gives anything away.
        assert_eq!(t.cells[1][0], Figure::Withheld);
        assert_eq!(t.cells[1][0].to_string(), "*");
        assert_eq!(t.cells[0][0], Figure::Withheld);
        assert_eq!(t.cells[0][1], Figure::Withheld);
        assert_eq!(t.row_totals, vec![Figure::Count(52), Figure::Count(23)]);
        assert_eq!(
            t.total,
            Figure::Count(75),
            "the grand total is safe to show"
        );
    }

    #[test]
    fn small_counts_that_add_up_to_a_small_count_are_not_enough() {
        // Three groups of 1 beside a shown total: hiding all three would
        // still say they add up to 3, so a larger one goes too.
        let t = publish(&[vec![1, 1, 1, 40]]);
        assert_eq!(t.cells[0][..3], [Figure::Small; 3]);
        assert_eq!(t.cells[0][3], Figure::Withheld);
    }

    #[test]
    fn zero_and_large_counts_are_shown_as_they_are() {
        let t = publish(&[vec![0, 12], vec![7, 30]]);
        assert_eq!(
            t.cells,
            vec![
                vec![Figure::Count(0), Figure::Count(12)],
                vec![Figure::Count(7), Figure::Count(30)]
            ]
        );
        assert_eq!(t.row_totals, vec![Figure::Count(12), Figure::Count(37)]);
        assert_eq!(t.column_totals, vec![Figure::Count(7), Figure::Count(42)]);
        assert_eq!(t.total, Figure::Count(49));
    }

    proptest! {
        // Nothing from 1 to 4 is shown; what is shown is true; and no line
        // (row or column, with its total) gives a hidden count away by
        // subtraction: never exactly one hidden, never hidden counts adding
        // up to 1-4 beside a shown total.
        #[test]
        fn no_small_count_shows_and_none_is_given_away_by_a_total(
            counts in (1usize..6, 1usize..6).prop_flat_map(|(r, c)| {
                prop::collection::vec(prop::collection::vec(
                    prop_oneof![3 => 0u64..8, 1 => 0u64..200], c), r)
            })
        ) {
            let t = publish(&counts);
            for line in lines(&t, &counts) {
                let hidden = line.iter().filter(|(f, _)| f.is_hidden()).count();
                prop_assert_ne!(hidden, 1, "a line with one hidden entry: {:?}", line);
                let (total, counts) = line.split_last().unwrap();
                let hidden_sum: u64 = counts.iter().filter(|(f, _)| f.is_hidden()).map(|(_, n)| n).sum();
                if !total.0.is_hidden() {
                    prop_assert!(hidden_sum == 0 || hidden_sum >= SMALLEST_SHOWN,
                        "hidden counts adding up to {} beside a shown total: {:?}", hidden_sum, line);
                }
                for &(shown, truth) in &line {
                    match shown {
                        Figure::Count(n) => {
                            prop_assert_eq!(n, truth);
                            prop_assert!(n == 0 || n >= SMALLEST_SHOWN);
                        }
                        Figure::Small => prop_assert!((1..SMALLEST_SHOWN).contains(&truth)),
                        Figure::Withheld => prop_assert!(truth > 0, "zero is never withheld"),
                    }
                }
            }
        }

        // A table with no small count hides nothing.
        #[test]
        fn a_table_of_large_counts_hides_nothing(
            counts in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| {
                prop::collection::vec(prop::collection::vec(
                    prop_oneof![Just(0u64), SMALLEST_SHOWN..500], c), r)
            })
        ) {
            let t = publish(&counts);
            for line in lines(&t, &counts) {
                prop_assert!(line.iter().all(|(f, truth)| *f == Figure::Count(*truth)));
            }
        }
    }
}
