//! The GOV.UK "Exit this page" keyboard gesture: Shift pressed three times
//! on its own, each press within five seconds of the last, and no other key
//! between. Pure (time comes in), so it is tested without a browser; the
//! app feeds it every `keyup` and blanks the window when it says so.

use waymark_l10n::Texts;

/// Most time allowed between two presses of Shift.
pub const PRESS_WITHIN_MS: f64 = 5_000.0;

/// What a key released means for the gesture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Not part of the gesture.
    Nothing,
    /// Shift counted: this many presses still to go (announced).
    ToGo(u8),
    /// A started gesture was broken by another key or by waiting.
    Expired,
    /// The third press: leave now.
    Exit,
}

#[derive(Clone, Debug, Default)]
pub struct ShiftExit {
    presses: u8,
    last_press_ms: f64,
    /// Whether the last key released was held with Shift (Shift + A): the
    /// Shift released after it was a modifier, not a press of its own.
    last_was_modified: bool,
}

impl ShiftExit {
    /// A key was released: `key` is the event's `key`, `shift_held` its
    /// `shiftKey`, `now_ms` the time.
    pub fn key_up(&mut self, key: &str, shift_held: bool, now_ms: f64) -> Step {
        let modified = std::mem::replace(&mut self.last_was_modified, shift_held);
        let waited = self.presses > 0 && now_ms - self.last_press_ms > PRESS_WITHIN_MS;
        if key == "Shift" && !modified {
            self.presses = if waited { 1 } else { self.presses + 1 };
            self.last_press_ms = now_ms;
            if self.presses >= 3 {
                self.presses = 0;
                return Step::Exit;
            }
            return Step::ToGo(3 - self.presses);
        }
        if self.presses > 0 {
            self.presses = 0;
            return Step::Expired;
        }
        Step::Nothing
    }

    /// Whether an unfinished gesture has run out of time by `now_ms`
    /// (resets it, so the expiry is announced once).
    pub fn expire(&mut self, now_ms: f64) -> bool {
        let expired = self.presses > 0 && now_ms - self.last_press_ms > PRESS_WITHIN_MS;
        if expired {
            self.presses = 0;
        }
        expired
    }
}

/// What a screen reader hears after each step.
pub fn announcement(t: &Texts, step: Step) -> Option<String> {
    match step {
        Step::Nothing => None,
        Step::ToGo(left) => Some(t.text_with("exit-to-go", &[("left", left.into())])),
        Step::Expired => Some(t.text("exit-expired")),
        Step::Exit => Some(t.text("exiting")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_l10n::Language;

    fn shifts(gesture: &mut ShiftExit, times: &[f64]) -> Vec<Step> {
        times
            .iter()
            .map(|&t| gesture.key_up("Shift", false, t))
            .collect()
    }

    #[test]
    fn three_shifts_in_time_exit() {
        let mut g = ShiftExit::default();
        assert_eq!(
            shifts(&mut g, &[0.0, 1_000.0, 5_900.0]),
            [Step::ToGo(2), Step::ToGo(1), Step::Exit]
        );
        // It starts again after an exit.
        assert_eq!(shifts(&mut g, &[7_000.0]), [Step::ToGo(2)]);
    }

    #[test]
    fn waiting_too_long_between_presses_starts_again() {
        let mut g = ShiftExit::default();
        assert_eq!(
            shifts(&mut g, &[0.0, 5_001.0, 6_000.0, 7_000.0]),
            [Step::ToGo(2), Step::ToGo(2), Step::ToGo(1), Step::Exit]
        );
        let mut g = ShiftExit::default();
        shifts(&mut g, &[0.0, 100.0]);
        assert!(!g.expire(5_000.0));
        assert!(g.expire(5_101.0));
        assert!(!g.expire(5_200.0), "announced once");
        assert_eq!(shifts(&mut g, &[5_300.0]), [Step::ToGo(2)]);
    }

    #[test]
    fn another_key_between_presses_breaks_the_gesture() {
        let mut g = ShiftExit::default();
        shifts(&mut g, &[0.0, 100.0]);
        assert_eq!(g.key_up("a", false, 200.0), Step::Expired);
        assert_eq!(
            shifts(&mut g, &[300.0, 400.0, 500.0]),
            [Step::ToGo(2), Step::ToGo(1), Step::Exit]
        );
        // Other keys with nothing started mean nothing.
        assert_eq!(g.key_up("Enter", false, 600.0), Step::Nothing);
    }

    #[test]
    fn typing_capitals_never_counts() {
        // Shift + O fires two keyups: "O" with shiftKey set, then "Shift".
        let mut g = ShiftExit::default();
        for i in 0..10 {
            let t = f64::from(i) * 100.0;
            assert_eq!(g.key_up("O", true, t), Step::Nothing);
            assert_eq!(g.key_up("Shift", false, t + 10.0), Step::Nothing);
        }
        // A press of its own after typing still counts from one.
        assert_eq!(shifts(&mut g, &[2_000.0]), [Step::ToGo(2)]);
    }

    #[test]
    fn each_step_is_announced_in_the_language_in_force() {
        let en = Texts::new(Language::English);
        let said = |step| announcement(&en, step);
        assert_eq!(
            said(Step::ToGo(2)).unwrap(),
            "Shift, press 2 more times to exit."
        );
        assert_eq!(
            said(Step::ToGo(1)).unwrap(),
            "Shift, press 1 more time to exit."
        );
        assert_eq!(said(Step::Expired).unwrap(), "Exit this page expired.");
        assert_eq!(said(Step::Nothing), None);
        let cy = Texts::new(Language::Welsh);
        assert_eq!(
            announcement(&cy, Step::ToGo(1)).unwrap(),
            "Shift, pwyswch unwaith eto i adael."
        );
    }
}
