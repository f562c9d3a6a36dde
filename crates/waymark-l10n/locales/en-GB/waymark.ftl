# Waymark's words in English (UK). Ids are shared with cy/waymark.ftl:
# a message, its attributes and its variables are the same in both.

## Dates: always in UK form ("3 Feb 2026, 14:05"), whatever the desktop's locale.

month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
date = { $day } { $month } { $year }
date-time = { $date }, { $time }

## Language

language-other = Cymraeg
    .label = Newid yr iaith i'r Gymraeg

## Always there

skip-to-content = Skip to content
opening = Opening Waymark…
brand = Waymark
nav-main = Main
nav-your-cases = Your cases
nav-caseload = Caseload
nav-agenda = Agenda
nav-groups = Groups
nav-team = Team
nav-reports = Reports
nav-sync = Sync
nav-sync-conflicts = Sync ({ $count } to review)
nav-settings = Settings
quick-exit = Quick exit ({ $key })
    .title = Hide everything and lock ({ $key })

## Quick exit by Shift (GOV.UK's "Exit this page"), said to screen readers

exit-to-go = { $left ->
    [one] Shift, press 1 more time to exit.
   *[other] Shift, press { $left } more times to exit.
}
exit-expired = Exit this page expired.
exiting = Exiting.

## Forms

field-required = (required)

error-summary-title = There is a problem

## Why a field was refused (the core's reasons; a field's label comes before)

reason-empty = must not be empty
reason-too-long = is longer than { $max } characters
reason-date-in-future = { $date } is in the future
reason-in-future = is in the future
reason-date-in-past = { $date } is in the past
reason-before-1900 = { $date } is before 1900
reason-before-episode-opened = { $date } is before the episode opened ({ $opened })
reason-before-last-move = { $date } is before the episode's last move or its opening ({ $last })
reason-from-to = must be from { $min } to { $max }
reason-at-least = must be { $min } or more
reason-at-most = must be { $max } or fewer
reason-named-twice = "{ $name }" is named twice
reason-ends-before-start = ends before it starts
reason-longer-than-a-day = is more than 24 hours after the start
reason-more-than-a-year-ahead = is more than a year ahead
reason-required = is required
reason-before-meeting = { $date } is before the meeting ({ $meeting })
reason-not-after-episode-closed = { $date } is not after the episode closed ({ $closed })
reason-already-done = is done already
reason-already-closed = is already closed
reason-episode-closed = is closed
reason-not-phone-number = must be a phone number (digits, spaces, + ( ) -)
reason-not-email-address = must be an email address
reason-need-listed-twice = { $need } is listed twice
reason-required-to-close = is required to close an episode
reason-already-resolved = is already resolved
reason-not-agreed-consent = is not a consent the person has agreed to
reason-not-a-need = is not one of the person's needs
reason-pounds-from-to = must be from { $min } to { $max }
reason-score-or-words = needs a score from { $min } to { $max }, or their words
reason-before-appointment-starts = cannot be recorded before the appointment starts
reason-before-flag-raised = is before the flag was raised
reason-file-too-large = is { $size } MiB; the limit is { $limit } MiB
reason-not-a-file-name = must be a file name, not a path
reason-other-needs-words = "other" needs the reason in words
reason-same-as-note-text = is the same as the note's current text
reason-no-letter-or-digit = must contain at least one letter or digit
reason-not-a-user-name = must be 1 to 64 letters, digits, spaces or . _ - ' @
reason-give-user-name = give your user name
reason-give-user-name-shared = more than one person uses Waymark on this laptop: give your user name
reason-passphrase-changed = your passphrase was changed: unlock with the new one
reason-removed-from-device = "{ $name }" has been removed from this device
reason-already-signed-off = is signed off already
reason-already-decided = has been decided already
reason-say-why-erased = say why the case is erased
reason-after-period-end = { $from } is after the end of the period ({ $to })
reason-passphrase-too-short = must be at least { $min } characters; a few unrelated words work well
reason-not-enrolled-here = "{ $name }" is not enrolled on this device
reason-manager-reads-only = a manager reads the organisation's cases and changes none
reason-volunteer-notes-only = a volunteer records notes and appointments' outcomes only
reason-only-supervisor-signs-off = only a supervisor or an admin the organisation confirmed signs off
reason-only-supervisor-writes-notes = only a supervisor the organisation confirmed writes supervision notes
reason-only-supervisor-erases = only a supervisor or an admin may erase a case
reason-condition-settled = was recorded { $status ->
        [met] met
        [missed] missed
       *[varied] varied
    } on { $on }: that stands
reason-only-varied-changes-due = only a varied condition changes its due day
reason-episode-still-open = is open: a follow-up comes after it closes
reason-follow-up-not-due = the { $months }-month follow-up falls due on { $due }
reason-follow-up-recorded = the { $months }-month follow-up was recorded on { $on }
reason-programme-name-taken = there is a programme named "{ $name }" already
reason-programme-retired = { $name } is retired: no new episodes join it
reason-other-party-not-a-case = is the other party: not opened as a case from the person's
reason-has-own-case = has a case of their own already
reason-no-escalation = this incident prompted no referral (it did not meet the escalation criterion)
reason-not-on-device-yet = its contents are not on this device yet; sync to fetch them
reason-removed = was removed and cannot be changed
reason-restricted-without-address = is set but there is no address
reason-feedback-given = its feedback was given on { $on }
reason-template-version-exists = { $key } version { $version } exists already; give the changed template a new version
reason-recovery-key-first = the organisation has no recovery key yet to keep the reason sealed to: an admin makes it first (Settings, or waymark recovery-key create)
reason-only-confirmed-admin = only an admin whose own identity is confirmed can confirm people or vouch for keys; sync, or ask another admin to confirm you
reason-log-in-first = log in to the organisation's server first
reason-declined-only = a reason for not making it goes with a declined decision only
reason-unreachable = { $failure ->
        [name_not_found] cannot reach the server: its name does not resolve (offline, or a wrong address)
        [refused] cannot reach the server: the connection was refused (nothing listens at that address)
        [reset] the connection to the server was reset before it answered
        [timed_out] the server did not answer in time
        [truncated] the server's answer was cut off before it was complete
        [certificate] the server's certificate is not trusted (WAYMARK_CA_CERT names an organisation's own authority)
       *[other] cannot reach the server
    }; your work is kept
reason-not-connected-yet = this person is not connected to a server yet (Sync → Connect)
reason-not-a-server-address = must start with https:// (or http:// on this computer)
reason-unknown-credentials = the server does not know this user name with this passphrase
reason-enrolment-code-refused = this code is wrong, used already or expired: ask your administrator for a new one
reason-choose-own-passphrase = your passphrase was set by an administrator: choose your own (Settings → Change passphrase) before you sync
reason-account-disabled = your account is disabled: ask your administrator
reason-access-withdrawn = this laptop's access was withdrawn by your administrator
reason-only-admin = only an admin the organisation confirmed can { $task ->
        [import_template] import a template
        [add_programme] add a programme
       *[retire_programme] retire a programme
    }: it goes to every device
reason-no-such-programme = no programme named "{ $name }"
reason-no-such-programme-listed = no programme named "{ $name }": the organisation's are { $open }
reason-episode-ended = the episode is { $stage }: it has ended, and a new referral is a new episode
reason-not-onward = the episode is { $stage }: it can move to { $onward }, not { $to }
reason-no-disposal-route = has no disposal route: conditions come with a conditional caution, a community resolution or a deferred prosecution
reason-conditions-not-met = { $count } condition(s) not met: { $unmet }; record each met, or the breach
reason-condition-unmet = { $kind } due { $due } ({ $status ->
        [met] met
        [missed] missed
        [varied] varied
       *[pending] pending
    })
reason-easy-to-guess = is too easy to guess: { $advice }
reason-easy-to-guess-because = is too easy to guess ({ $warning }): { $advice }
guess-warning = { $warning ->
        [straight_rows_of_keys] straight rows of keys are easy to guess
        [short_keyboard_patterns] short keyboard patterns are easy to guess
        [repeats_like_aaa] repeats like "aaa" are easy to guess
        [repeats_like_abcabc] repeats like "abcabcabc" are only a little harder to guess than "abc"
        [top_10] this is one of the 10 most common passwords
        [top_100] this is one of the 100 most common passwords
        [common_password] this is a very common password
        [like_a_common_password] this is like a commonly used password
        [sequences] sequences like abc or 6543 are easy to guess
        [recent_years] recent years are easy to guess
        [a_word_on_its_own] a word on its own is easy to guess
        [dates] dates are often easy to guess
        [names_on_their_own] names and surnames on their own are easy to guess
       *[common_names] common names and surnames are easy to guess
    }
guess-advice = { $advice ->
        [use_a_few_words] use a few words, and avoid common phrases
        [no_need_for_symbols] there is no need for symbols, digits or capital letters
        [add_a_word_or_two] add another word or two; uncommon words are better
        [capitals_help_little] capital letters do not help much
        [all_capitals] all capitals is almost as easy to guess as all small letters
        [reversed_words] words spelt backwards are not much harder to guess
        [predictable_swaps] predictable swaps, like @ for a, do not help much
        [longer_keyboard_pattern] use a longer keyboard pattern with more turns
        [avoid_repeats] avoid repeated words and characters
        [avoid_sequences] avoid sequences
        [avoid_recent_years] avoid recent years
        [avoid_your_years] avoid years that are linked to you
       *[avoid_your_dates] avoid dates and years that are linked to you
    }
reason-no-follow-ups = { $programme } sets no follow-ups
reason-follow-up-months = { $programme } follows up at { $months } months, not { $asked }
list-and = { $first } and { $last }
reason-no-outcome-areas = { $programme } names no outcome areas
reason-not-an-outcome-area = { $programme } rates { $areas }, not "{ $asked }"
reason-in-no-programme-follow-ups = is in none of the organisation's programmes, so none sets its follow-ups
reason-in-no-programme-outcomes = is in none of the organisation's programmes, so none names its outcome areas
reason-only-report-roles = only a supervisor, a manager or an admin the organisation confirmed runs reports
reason-no-team-yet = no team named "{ $asked }": no one's certificate on this device names a team yet (an admin confirms people again to certify their teams)
reason-no-such-team = no team named "{ $asked }": the teams are { $teams }
reason-programme-named-more-than-once = { $count } programmes are named "{ $name }": an admin retires one
reason-route-only-for-diversion = { $programme } is not a diversion programme: only diversion takes a disposal route
reason-not-a-marac-referral = is not a MARAC referral of this case
reason-not-a-risk-assessment = { $template } is not a risk assessment (it prompts no MARAC referral)
reason-no-such-action = the note agreed { $count } { $count ->
        [one] action
       *[other] actions
    }: give 1 to { $count }
reason-no-such-prompt = this assessment has no prompt { $number }
reason-no-such-template = no assessment template "{ $key }"
reason-no-such-template-version = no assessment template "{ $key }" version { $version }
reason-met-missed-or-varied = met, missed or varied
reason-set-or-ask-in-terminal = set { $var } or run in a terminal to be asked
reason-passphrases-differ = the two passphrases differ
reason-say-why-not-made = say why it is not being made: one of { $reasons }

## First run: joining the organisation

first-run-title = Welcome to Waymark
first-run-intro = Join your organisation: your administrator gives you the server address, your user name and, the first time, a one-time enrolment code; you choose your own passphrase. You get a store of your own on this laptop, which no one else using it can open. Your passphrase protects it; Waymark cannot recover it.
demo-title = Trying Waymark?
demo-text = A demo server with fictional people is running at { $server }. Log in as { $worker } (a caseworker) or { $supervisor } (a supervisor); the demo passphrase is “{ $passphrase }”.
demo-use = Use the demo
field-server = Server address
    .hint = For example https://sync.example.org
field-user = Your user name
field-enrolment-code = Enrolment code
    .hint = The first time only: the code from your administrator, e.g. 7K2M-QX9P-AB3D-EF4G-HJ5K. If you already use Waymark on another laptop, leave it empty and give your passphrase.
field-passphrase = Passphrase
field-new-passphrase = Passphrase
    .hint = With a code, choose one: at least 12 characters; a few unrelated words work well.
field-passphrase-again = Passphrase again
passphrases-differ = the two passphrases differ
join = Join and fetch my cases
joining = Joining…
back-to-unlock = I already use Waymark on this laptop: unlock

## Unlocking

unlock-title = Unlock Waymark
unlock-user-hint = Each person on this laptop has their own store; yours opens with your passphrase.
unlock = Unlock
unlocking = Unlocking…
unlock-quick-exit = Quick exit at any time: { $key } or the Quick exit button.
new-person = New to Waymark on this laptop? Join your organisation

## Shared

loading = Loading…
risk-level = { $level ->
    [high] High
    [medium] Medium
    [standard] Standard
   *[other] { $level }
}
risk-not-assessed = Not assessed

## The caseload

caseload-title = Caseload
caseload-of = Cases of { $keyworker }
caseload-new-case = New case
caseload-filters = Find and filter cases
caseload-search = Search names and notes
caseload-risk-level = Risk level
caseload-risk-any = Any
caseload-no-contact-days = No contact in at least (days)
caseload-review-overdue = Review overdue
caseload-has-flags = Has open flags
caseload-only-mine = Only my cases
caseload-group = Group by keyworker
caseload-count = { $total ->
    [one] 1 case
   *[other] { $total } cases
}, most in need of attention first (showing { $shown })
caseload-caption = Cases
caseload-col-name = Name
caseload-col-keyworker = Keyworker
caseload-col-risk = Risk
caseload-col-flags = Flags
caseload-col-last-contact = Last contact
caseload-col-next-appointment = Next appointment
caseload-col-review = Review
caseload-last-contact = { $days ->
    [0] today
    [1] yesterday
   *[other] { $days } days ago
}
caseload-never = never
caseload-overdue = overdue ({ $date })
caseload-no-keyworker = No keyworker
caseload-show-more = Show more
caseload-found = Found in records
search-hit-kind = { $kind ->
    [person] Person
   *[note] Note
}

## Sync status, always in the bar

sync-running = Syncing…
sync-running-phase = Syncing ({ $phase ->
    [push] sending
   *[pull] fetching
}) { $done }/{ $total }
sync-not-connected = Not connected to a server
sync-offline = Offline — { $count ->
    [one] 1 change waits
   *[other] { $count } changes wait
} on this laptop
sync-unsynced = { $count ->
    [one] 1 change
   *[other] { $count } changes
} not yet synced
sync-waiting-for-confirmation = Waiting for an admin to confirm you (see Settings): until then no case keys reach this laptop
sync-awaiting-keys = { $count ->
    [one] 1 change waits
   *[other] { $count } changes wait
} for their case keys from a colleague's device
sync-up-to-date = Up to date · last synced { $when }
sync-never = Not synced yet
sync-refused = { $synced } · { $count } refused (see Sync)
sync-progress = Sync progress

## A case: its header and sections

case-opening = Opening the case…
case-back = ← Caseload
case-born = born { $date }
case-risk = Risk:
case-incidents = Incidents in 12 months: { $count } ({ $police } with the police called)
case-episode = { $programme } ({ $status }), { $stage }, keyworker { $keyworker }
case-sign-offs = Signed off by a supervisor
case-signed-off = Signed off: { $what } by { $by } on { $when }
someone-unknown = someone not known here
case-flags = Safeguarding flags
case-safe-contact = Safe contact
case-safe = { $answer ->
    [yes] yes
    [no] NO
   *[unknown] not known
}
case-safe-ways = Calls: { $calls } · Texts: { $texts } · Voicemail: { $voicemail }
case-safe-times = Safe times:
case-code-word = Code word:
case-no-instructions = No instructions recorded.
case-phone = Phone:
case-address = Address:
case-hide-address = Hide address
case-reveal = Reveal (recorded)
    .title = Showing it is recorded in the audit trail
case-sections = Case sections
section-timeline = Timeline
section-details = Details and consents
section-notes = Notes
section-plan = Support plan
section-appointments = Appointments
section-assessments = Assessments
section-incidents = Incidents
section-safety = Safety plan and MARAC
section-referrals = Referrals and flags
section-attachments = Attachments
section-linked = People linked
section-supervision = Supervision
section-access = Who holds it

## Settings

settings-prefs = Locking and language
settings-lock-minutes = Lock after this many minutes without use
    .hint = 1 to 60. Quick exit is always { $key }.
settings-whole-minutes = give a whole number of minutes
settings-language = Language
    .hint = The app's words; what people wrote stays as they wrote it.
settings-save = Save settings
settings-saved = Settings saved.
settings-passphrase = Change your passphrase
settings-current-passphrase = Current passphrase
settings-new-passphrase = New passphrase
settings-new-passphrase-again = New passphrase again
settings-rekey-hint = Your store is re-encrypted under a new key, so an old copy of its key file opens nothing. A large store takes a few seconds.
settings-rekeying = Re-encrypting your store…
settings-change-passphrase = Change passphrase
settings-passphrase-changed = Passphrase changed.
settings-signed-in-as = Signed in as { $user }.
identity-title = Your identity on this laptop
identity-confirmed = Confirmed by an administrator as { $role ->
    [worker] a caseworker
    [supervisor] a supervisor
    [manager] a manager
    [admin] an administrator
   *[volunteer] a volunteer
}.
identity-waiting = Waiting for an administrator to confirm you: until they do, colleagues' laptops pass you no case keys.
identity-hint = An administrator compares this phrase with what their laptop shows for you, in person or on a call, before confirming you.

## A case's notes and timeline

timeline-empty = Nothing recorded yet.
notes-write = Write a note
notes-contact-type = Contact type
notes-duration = Duration (minutes)
notes-where = Where
notes-body = Note
    .hint = Saved as a draft while you type; a draft survives locking and crashes.
notes-choose-contact = choose how the contact happened
notes-save = Save note
notes-discard = Discard draft
notes-so-far = Notes so far ({ $count })
draft-brought-back = Draft brought back (saved { $when })
draft-saved = Draft saved { $when }
draft-not-saved = Draft not saved: { $why }
note-saved = Note saved.
draft-discarded = Draft discarded.
note-by = by { $who }
note-amend = Amend
note-history = History
note-amend-form = Amend this note
note-corrected = Corrected note
note-reason = Reason for the change
note-save-amendment = Save amendment
note-versions = Versions of this note
note-original = Original ({ $when }{ $by }):
note-amended = Amended { $when }{ $by } — reason:

## The agenda and what is due

agenda-due = Due
agenda-open-case = Open { $name }'s case
agenda-today = Today
agenda-week = This week
agenda-none = No appointments.
due-condition-overdue = { $kind } condition overdue: record it met or missed
due-condition-missed = { $kind } condition missed: decide on a breach
due-follow-up = { $months }-month follow-up ({ $programme }): is a further offence known?
due-assessment-prompt = Prompted by a risk assessment, not yet decided: { $prompt }
due-incident-prompt = Prompted by an incident, not yet decided: { $prompt }
due-sign-off = To sign off as reviewed: { $what }
due-marac-action = MARAC action overdue: { $action } ({ $agency }, { $owner })
due-safety-plan = Safety plan review was due on { $date }
due-supervision-action = Agreed in supervision: { $action } ({ $owner }, by { $date })
sign-off = Sign off

## The closed vocabularies the forms offer: one message each, selecting on $value

term-contact_type = { $value ->
    [face_to_face] Face to face
    [phone] Phone
    [visit] Visit
    [outreach] Outreach
    [text] Text
    [email] Email
    [video] Video
    [letter] Letter
   *[other] Other
}
term-referral_source = { $value ->
    [police] Police
    [probation] Probation
    [court] Court
    [liaison_and_diversion] Liaison and diversion
    [self] Self
    [health] Health
    [housing] Housing
    [social_care] Social care
    [voluntary_sector] Voluntary sector
   *[other] Other
}
term-need_area = { $value ->
    [mental_health] Mental health
    [substance_use] Substance use
    [housing] Housing
    [domestic_abuse] Domestic abuse
    [offending] Offending
    [finance] Finance
    [physical_health] Physical health
    [education_training_employment] Education, training and employment
    [family_and_children] Family and children
   *[other] Other
}
term-agency = { $value ->
    [probation] Probation
    [court] Court
    [gp] GP
    [housing] Housing
    [police] Police
    [mental_health] Mental health
    [substance_use_service] Substance use service
    [social_care] Social care
    [marac] MARAC
    [idva] IDVA
    [job_centre] Jobcentre
    [solicitor] Solicitor
    [refuge] Refuge
   *[other] Other
}
term-appointment_outcome = { $value ->
    [attended] Attended
    [did_not_attend] Did not attend
    [cancelled] Cancelled
   *[rescheduled] Rescheduled
}
term-referral_status = { $value ->
    [made] Made
    [accepted] Accepted
    [declined] Declined
   *[closed] Closed
}
term-flag_kind = { $value ->
    [risk_from_others] Risk from others
    [risk_to_self] Risk to self
    [risk_to_others] Risk to others
    [children_at_risk] Children at risk
    [stalking] Stalking
    [no_phone_contact] No phone contact
    [refuge_address] Refuge address
    [exploitation] Exploitation
    [honour_based_abuse] Honour-based abuse
    [forced_marriage] Forced marriage
    [modern_slavery] Modern slavery
   *[other] Other
}
term-incident_kind = { $value ->
    [physical] Physical
    [sexual] Sexual
    [coercive_control] Coercive control
    [threats] Threats
    [stalking_harassment] Stalking or harassment
    [economic] Economic
    [damage_to_property] Damage to property
    [breach_of_order] Breach of an order
   *[other] Other
}
term-relation = { $value ->
    [child] Child
    [household_member] Household member
   *[other_party] Other party
}
term-help_kind = { $value ->
    [information] Information
    [food] Food
    [clothing] Clothing
    [hygiene] Hygiene
    [harm_reduction] Harm reduction
    [signposting] Signposting
    [emotional_support] Emotional support
   *[other] Other
}
term-condition_kind = { $value ->
    [no_further_offence] No further offence
    [restorative] Restorative
    [apology] Apology
    [compensation] Compensation
    [pathway] Pathway
   *[unpaid_hours] Unpaid hours
}
term-sign_off_subject = { $value ->
    [risk_assessment] Risk assessment
    [marac_decision] MARAC decision
   *[closure] Closure
}

## A case's sections: support plan

plan-title = Support plan
plan-no-goals = No goals yet.
plan-add-goal-title = Add a goal
field-need-area = Need area
field-goal = Goal
field-review-on = Review on
plan-add-goal = Add goal
goal-rating-problem = give a number from 1 to 10
goal-heading = { $area } — { $goal }
goal-status-review = { $status } · review { $date }
goal-action = { $action } ({ $owner })
goal-action-due = { $action } ({ $owner }, by { $date })
goal-action-done = done { $date }
goal-mark-done = Mark done
form-rate-progress = Rate progress
field-rating = Progress rating (1–10)
field-comment = Comment
goal-record-rating = Record rating
form-add-action = Add an action
field-action = Action
field-action-owner = Who (you if empty)
field-due = Due
goal-add-action = Add action
form-status-review = Status and review
field-status = Status
goal-update = Update goal
chart-no-ratings = No ratings yet.
chart-label = Ratings over time: { $ratings }
chart-caption = Ratings (1–10): { $ratings }
term-goal_status = { $value ->
    [active] Active
    [achieved] Achieved
   *[dropped] Dropped
}

## Appointments

appts-title = Appointments
appts-none = No appointments.
appts-add-title = Add an appointment
field-starts = Starts
field-length = Length (minutes)
field-with-service = With which service
field-where = Where
field-with-whom = With whom
field-reminder = Remind me (minutes before)
    .hint = The reminder shows the time only, never a name.
appts-add = Add appointment
appt-starts-problem = give a date and time
appt-at = at { $place }
appt-with = with { $whom }
outcome-shown = Outcome: { $outcome }
form-record-outcome = Record the outcome
field-outcome = Outcome
field-outcome-note = Outcome note
appt-record-outcome = Record outcome

## Assessments and what they prompt

assess-title = Assessments
assessment-done = { $template } — score { $score }, { $level }
marac-form-write = Write the MARAC referral form
marac-form-hint = Filled from this assessment's answers and the case. The file leaves the encrypted store: send it by your MARAC's secure route, then delete it.
marac-form-written = Written to { $path }
prompt-group = Prompted action
prompt-decision = Decision: { $decision }
field-because = Why not now (if not making it)
choose-reason = Choose a reason
field-reason-words = Reason in words (needed for "other")
prompt-make = Make the { $agency } referral
prompt-not-now = Not now (give a reason)
term-decision_kind = { $value ->
    [made] Made
   *[declined] Declined
}
term-decline_reason = { $value ->
    [no_consent] No consent
    [already_referred] Already referred
    [risk_reduced] Risk reduced
    [out_of_area] Out of area
   *[other] Other
}
assessment-new = New: { $name }
live-score = Score { $score } — { $label }
live-unanswered = ({ $count } questions still to answer)
live-prompts = This score prompts: { $prompt }
answer-yes = Yes
answer-no = No
answer-not-known = Not known
choose = Choose…
assessment-unanswered = Some questions are not answered yet (marked above).
assessment-save = Save assessment

## Referrals and flags

refs-title = Referrals
refs-none = No referrals.
referral-line = { $agency } — { $reason } ({ $status }, made { $date })
referral-repeat = · repeat MARAC (within 12 months of the last)
form-referral-outcome = The referral's outcome
referral-save-outcome = Save the outcome
referral-close = Close the referral
refs-make-title = Make a referral
field-referral-to = To
field-reason = Reason
refs-make = Make referral
field-referral-consent = Covered by the consent
consent-none-named = None named
referral-consent = Consent: { $topic }
flags-title = Safeguarding flags
flags-none = No flags.
flag-line = { $kind } (raised { $date })
flag-line-detail = { $kind }: { $detail } (raised { $date })
flag-resolved = — resolved { $date }
flag-resolve = Resolve
form-raise-flag = Raise a flag
field-flag = Flag
field-detail = Detail
flags-raise = Raise flag

## Attachments

att-title = Attachments
att-none = No attachments.
att-line = — { $type }, { $size } · added { $date }
att-cannot-show = { $name } ({ $size }) cannot be shown inside Waymark. It is kept encrypted here; it is never written to a temporary file.
close = Close
form-add-attachment = Add an attachment
field-attachment = File (up to 10 MiB)
att-add = Add attachment
att-choose-first = choose a file first
att-unreadable = the file could not be read
size-mib = { $size } MiB
size-kib = { $size } KiB
size-bytes = { $size } bytes

## Incidents

incidents-title = Incidents
incidents-none = No incidents recorded.
incident-police = police called
incident-injuries = injuries
incident-children = children present
form-record-incident = Record an incident
field-occurred-on = When it happened
field-what-happened = What happened
check-police = The police were called
check-injuries = Injuries
check-children = Children present
field-detail-short = Detail (short)
incident-record = Record incident
incident-day-problem = say on which day it happened

## Who holds a case

access-title = Who holds this case
access-allocated = Allocated to { $user }, a volunteer. Their laptop receives how to reach the person safely and the appointments once yours has synced.
access-shared = Shared with { $user }. Their laptop receives the case once yours has synced.
access-unshared = No longer shared with { $user }. Their laptop drops the case at its next sync.
access-reassigned = { $user } is the keyworker now. Sync to send it; the keyworker before drops the case at their next sync.
access-keyworker = Keyworker
access-team = Team (its supervisors hold the case)
access-shared-with = Shared with
access-no-one = No one
access-volunteer-note = (volunteer: the contact brief, appointments and their own notes only)
access-stop-sharing = Stop sharing with { $user }
form-share = Share the case
field-share-with = Share with a colleague (their user name)
    .hint = A co-worker or a covering worker: their laptop receives the case at its next sync. A volunteer receives only how to reach the person safely, the appointments and the notes they write.
access-share = Share
form-reassign = Give the case to another keyworker
field-new-keyworker = Give the case to another keyworker (their user name)
    .hint = The keyworker and who holds the case change together; the keyworker before loses it unless it is shared with them.
access-reassign = Reassign

## Safety plan and MARAC

safety-title = Safety plan
safety-none = No safety plan yet.
safety-safe-places = Safe places to go
safety-trusted-people = Trusted people to call
safety-code-words = Code words and what each means
safety-escape-bag = Escape bag: what is packed, where it is kept
safety-tech = Tech safety: phones, accounts, location sharing
safety-children = Arrangements for children
field-review-by = Review by
safety-save = Save the safety plan
marac-title = MARAC
marac-none = No MARAC meeting recorded.
marac-meeting = Meeting on { $date }
marac-no-outcome = outcome not yet recorded
marac-action-line = { $action } — { $agency } ({ $owner }), by { $date }
marac-done-button = Done: { $action }
form-marac-meeting = Record a MARAC meeting
field-meeting-on = The meeting's day
field-decided = What it decided (can be added later)
marac-record-meeting = Record the meeting
form-marac-action = Record an action the latest meeting agreed
field-agency = Agency
field-owner = Who owns it
field-what-to-do = What is to be done
field-by-when = By when
marac-add-action = Add the action
marac-day-problem = say on which day it met
marac-meeting-first = record the meeting first
marac-due-problem = say by when

## A case's episode: a new case, stages, another episode, closing, erasing

new-case-title = New case
field-referred-by = Referred by
field-programme = Programme
new-case-open = Open the case
cancel = Cancel
must-not-be-empty = must not be empty
stage-record-open = Record a stage…
form-stage = Record a stage
field-moved-to = Moved to
field-on = On
stage-record = Record it
episode-open-more = Open a new episode…
form-episode = Open a new episode
field-keyworker-or-you = Keyworker (you if empty)
field-opened-on = Opened on
field-route = Disposal route (diversion only)
route-none = None (not diversion)
episode-open = Open the episode
case-closed-on = Closed on { $date }
close-case-more = Close the case…
close-case = Close the case
field-closed-on = Closed on
field-closing-reason = Reason for closing
erase-more = Erase for good…
form-erase = Erase the case for good
erase-hint = Deletes this case from the server and from every device at its next sync, with its keys: it cannot be read again anywhere. This cannot be undone. Your organisation may need a second supervisor or admin to confirm, or wait a while first. The reason is kept sealed to the organisation's recovery key.
field-erase-reason = Reason for erasing (name no one)
erase-confirm = Erase this case for good
erase-second-person = Erasure asked for. Another supervisor or admin must confirm it the same way, on their own laptop, by { $when }; until then the case stays.
erase-grace = This case will be erased at { $when }, unless the erasure is cancelled before then.
erase-cancelled = The erasure is cancelled.
erase-cancel = Cancel the erasure
term-stage = { $value ->
    [referred] referred
    [engaged] engaged
    [completed] completed
    [disengaged] disengaged
    [declined] declined
    [deselected] deselected
    [breached] breached
   *[returned_to_court] returned to court
}
term-episode_status = { $value ->
    [open] open
   *[closed] closed
}
term-disposal_route = { $value ->
    [conditional_caution] Conditional caution
    [community_resolution] Community resolution
    [deferred_prosecution] Deferred prosecution
   *[voluntary] Voluntary
}

## A case's timeline: what each entry records

timeline-note = { $contact } note
timeline-note-amended = { $contact } note (amended)
timeline-appointment = Appointment: { $agency }
timeline-appointment-outcome = Appointment: { $agency } ({ $outcome })
timeline-attended = Attended group: { $title }
timeline-not-attended = Did not attend group: { $title }
timeline-assessment = Assessment { $template }: score { $score }, { $level }
timeline-referral = Referral to { $agency } ({ $status })
timeline-goal = Goal ({ $area })
timeline-rating = Outcome rating { $rating }/10
timeline-flag-raised = Flag raised: { $kind }
timeline-flag-resolved = Flag resolved: { $kind }
timeline-episode-opened = Episode opened: { $programme }
timeline-episode-closed = Episode closed: { $programme }
timeline-attachment = Attachment: { $name }

## A person's details and consents

person-legend = The person
field-full-name = Full name
field-preferred-name = Preferred name
field-pronouns = Pronouns
field-date-of-birth = Date of birth
field-phone = Phone
field-email = Email
field-address = Address
    .restricted = A restricted address is not shown here: leave this empty to keep it, or type a new address to replace it.
field-address-restricted = Restricted address (a refuge, or secret): shown masked; revealing it is recorded
field-calls-safe = Safe to call?
field-texts-safe = Safe to text?
field-voicemail-safe = Safe to leave voicemail?
field-safe-times = Safe times
field-code-word = Code word
field-instructions = Safe-contact instructions
needs-none = Needs: none recorded.
needs-now = Needs: { $needs }.
person-edit = Edit details
needs-legend = Needs
need-since = { $need } (since { $date })
need-since-label = { $need }: known since
need-since-short = since
person-save = Save details
saved = Saved.
consents-title = Consent and information sharing
consents-none = No decisions recorded yet.
term-consent = { $value ->
    [agreed] Agreed
   *[refused] Refused
}
consent-line = { $topic } — { $date }
consent-record-title = Record a decision
field-consent-topic = What it is about
    .hint = For example: sharing her details with her GP
field-consent-decision = Her decision
field-decided-on = Decided on
field-consent-note = Who with, and anything else
consent-record = Record the decision
sar-title = Subject access export
sar-warning = The export is one file the person can read: a summary, their whole record and the files this laptop holds. It leaves the encrypted store and is not encrypted: give it to them by a secure route, then delete it from this laptop. Making it is recorded.
sar-write = Write the export
sar-writing = Writing the export… (you can carry on meanwhile)

## People linked to a case

linked-title = People linked
linked-as = Linked as { $relation } to
linked-none = No one is linked to this case.
linked-known = known to children's services: { $answer ->
    [yes] yes
   *[no] no
}
linked-lives = lives: { $where }
linked-hide = Hide
linked-reveal = Reveal (recorded)
    .title = Showing them is recorded in the audit trail
linked-own-case = Their own case
linked-open-case = Open a case for { $name }
form-linked-open = Open a case for a linked person
linked-open = Open their case
form-link = Link someone to this case
field-relation = Who they are
field-name = Name
field-lives = Where they live (for a child: with whom)
field-known-childrens = Known to children's services?
field-linked-details = Details
    .hint = The other party's name and details stay hidden on screen until someone reveals them, which is recorded; they are never in the case's export.
linked-add = Link them

## Supervision

supervision-hint = Only the case's keyworker and the supervisors of its team receive these notes: not a colleague it is shared with, a manager or an admin.
supervision-none = No supervision notes on this case.
supervision-on = Supervision on { $date } with { $who }
supervision-discussed = Discussed: { $text }
supervision-decided = Decided: { $text }
supervision-action = { $action } — { $owner }, by { $date }
supervision-done = done on { $date } by { $who }
supervision-mark-done = Done
form-supervision = Write a supervision note
field-held-on = Day of the supervision (today if blank)
field-discussion = What was discussed
field-decision = What was decided
supervision-actions = Actions agreed
field-sup-action = Action { $n }
field-sup-owner = Who does action { $n }
field-sup-due = Action { $n } due by
supervision-save = Save the supervision note

## The team

team-intro = Each keyworker's open cases and what is overdue, over the cases this laptop holds (synced { $synced }).
team-intro-never = Each keyworker's open cases and what is overdue, over the cases this laptop holds (not synced yet).
team-none = No cases on this laptop yet.
team-caption = Each keyworker's cases
team-open = Open cases
team-high-risk = High risk
team-reviews = Reviews overdue
team-follow-ups = Follow-ups overdue
team-conditions = Conditions overdue or missed
team-prompts = Referral prompts undecided
team-sign-offs = Sign-offs pending
team-no-contact = No contact in { $days } days

## The sync screen

sync-time-unknown = time unknown
sync-side-here = this laptop, { $when }
sync-side-by = { $by } (device { $device }), { $when }
sync-side-device = device { $device }, { $when }
sync-server = Server: { $server }
sync-syncing = Syncing…
sync-now = Sync now
sync-connect-title = Connect to your organisation's server
field-your-passphrase = Your passphrase
sync-connect = Connect
sync-conflicts-title = Conflicts to review
sync-conflicts-none = None: every change agrees.
sync-organisation = Organisation
sync-shown-now = Shown now
sync-keep-this = Keep this
sync-other-edit = The other edit
sync-keep-other = Keep this instead
sync-empty = (empty)
sync-set-aside-title = Not sent: cases taken from you
sync-set-aside = You wrote these in cases taken from you more than 30 days before this laptop could send them, so the server no longer takes them. They are kept here, on this laptop only: pass them to the case's keyworker another way.
sync-set-aside-at = (set aside { $date })
sync-refused-title = Changes refused
sync-refused-none = None: every change that reached this laptop passed its checks.
sync-refused-intro = These changes reached this laptop but were tampered with or broke a rule, so they were not applied. Each is kept as it came: tell your administrator.
sync-change-id = (change { $id })
sync-recipients-title = Recipients refused
sync-recipients = The server asked this laptop to pass case keys to these keys, but no administrator confirmed whose they are, so none were passed. If a colleague is waiting for an admin to confirm them, this clears once they are; otherwise tell your administrator.
sync-key-id = (key { $key })
sync-keys-title = Case keys held aside
sync-keys = These case keys reached this laptop without the signature of a colleague an administrator confirmed, so they were not opened and the cases stay under the keys they had. If a colleague is waiting for an admin to confirm them, their keys are taken once they are; otherwise tell your administrator.
sync-case-key = (case { $case }, key { $epoch })

## Groups and outreach

not-a-whole-number = “{ $text }” is not a whole number
groups-title = Groups and outreach
groups-sessions = Group sessions
groups-none = No group sessions on this laptop yet.
form-group-session = Record a group session
field-title = Title
field-programme-if-any = Programme (if any)
field-place = Place
field-day-it-met = Day it met
field-facilitators = Facilitators
field-group-note = A note about the group
    .hint = About the group, not a person: it is never copied into anyone's case.
groups-record = Record the session
tallies-title = Outreach tallies
tallies-hint = A count of contacts with people who have no case: where, how many, what help. Name no one.
tallies-none = No tallies in the last 30 days.
tally-contacts = { $count ->
    [one] { $count } contact
   *[other] { $count } contacts
}
form-tally = Record an outreach tally
field-tally-day = Day (today if blank)
field-site = Site or area
field-contacts = Contacts
tally-help = Help given
field-tally-note = A few words (200 characters at most)
tally-record = Record the tally
register-title = { $title } on { $date }
register-none = No one on the register yet.
register-came = came
register-not-came = did not come
register-mark-came = Mark { $name } as came
register-mark-not-came = Mark { $name } as not come
form-register-find = Find someone for the register
field-register-name = Find a person by name
register-find = Find
register-came-button = { $name } came

## A volunteer's cases

allocated-hint = The people allocated to you: how to reach them safely and their next appointment. Only this reaches your laptop: ask their keyworker for anything more.
allocated-none = No one is allocated to you yet. Once a keyworker allocates someone, they appear here after the next sync.
allocated-next = next: { $when }
allocated-no-appointment = no appointment booked
allocated-back = ← Your cases
allocated-brief = How to reach them safely
allocated-notes = Your notes
allocated-no-notes = You have written no notes on this case.
field-in-touch = How you were in touch

## Reports (the screen; a report's own titles are the report definition's)

reports-all-programmes = All programmes
reports-all-teams = All teams
reports-all-programmes-lower = all programmes
reports-all-teams-lower = all teams
reports-team = team { $team }
reports-hint = Computed on this laptop from the cases it holds. Counts of 1 to 4 show as <5, and a count that would give one away as *.
form-report = The report's period
field-from = From
field-to = To
field-team = Team
working = Working…
reports-run = Run the report
reports-scope = { $from } to { $to }, { $programme }, { $team }, from the { $cases } cases this laptop holds.
reports-behind = Cases behind { $figure }
reports-none = none in the period.
reports-total = Total
reports-show-cases = { $table }: { $row }, { $column }: { $figure } — show the cases

## Settings for supervisors and admins

retention-title = Retention review
field-closed-for = Cases closed for at least (days)
    .hint = 2190 days is six years.
retention-list = List them
retention-none = No case has been closed that long.
retention-closed = closed { $date } ({ $days } days)
templates-title = Assessment templates
template-choose-first = choose the template's JSON file first
template-unreadable = the file could not be read as text
template-line = { $name } — { $key } version { $version }
template-import-title = Import a template
field-template = The template's JSON file
template-import = Import
template-imported = Imported { $name }: every device of the organisation gets it at its next sync.
devices-title = Devices
devices-hint = Revoke a lost or stolen laptop: the server refuses it from now on, and it erases its Waymark store the next time it reaches the server.
devices-person = Person
devices-device = Device
devices-phrase = Identity phrase
devices-confirmed = Confirmed
devices-last-seen = Last seen
devices-access = Access
devices-not-vouching = (does not vouch for this device's key)
devices-no-phrase = none registered
devices-confirmed-as = Confirmed as { $role }
devices-revoked = Revoked
devices-confirm-revoking = Confirm revoking
devices-revoke-this = Revoke { $user }'s { $device }
devices-keep = Keep
devices-revoke = Revoke…
term-role = { $value ->
    [worker] worker
    [supervisor] supervisor
    [manager] manager
    [admin] admin
   *[volunteer] volunteer
}
confirm-phrase = Phrase { $user } reads from their laptop
confirm-as-admin = { $user } is an admin: let them confirm others
confirm-person = Confirm { $user }
recovery-title = Recovery key
recovery-made = Recovery key { $fingerprint } made. Copy the text below onto paper or a USB stick kept offline: it is shown this once, and only it can restore someone's access when no colleague's device can.
recovery-text = The recovery key
recovery-kept = I have kept it safe: hide it
recovery-hint = Made once for the organisation. Every case key is then also sealed to it, so an admin holding it can restore a person's access after a lost laptop or a forgotten passphrase.
recovery-make = Make the recovery key
restore-title = Restore a person's access
restore-done = Resealed { $count ->
    [one] { $count } case key
   *[other] { $count } case keys
} for { $who }: their laptop reads their cases at its next sync.
field-restore-person = Their user name on the server
field-recovery-key = The recovery key (paste all of it)
restore-access = Restore access

not-a-date = is not a date

case-address-masked = •••• restricted address ••••

## What a record is (a conflict, a change set aside)
term-record_kind = { $value ->
    [person] Person
    [episode] Episode
    [stage_move] Stage
    [condition] Condition
    [follow_up] Follow-up
    [status_record] Status record
    [area_rating] Area rating
    [support_given] Support given
    [incident] Incident
    [marac_meeting] MARAC meeting
    [marac_action] MARAC action
    [safety_plan] Safety plan
    [sign_off] Sign-off
    [group_session] Group session
    [attendance] Attendance
    [outreach_tally] Outreach tally
    [linked_person] Linked person
    [supervision_action_done] Supervision action done
    [contact_brief] Contact brief
    [supervision_note] Supervision note
    [feedback] Feedback
    [equality] Equality monitoring
    [note] Note
    [note_amendment] Note amendment
    [goal] Goal
    [plan_action] Plan action
    [outcome_rating] Outcome rating
    [appointment] Appointment
    [assessment_template] Assessment template
    [programme] Programme
    [assessment] Assessment
    [referral] Referral
    [flag] Flag
   *[attachment] Attachment
}

## The MARAC referral an incident's police call-out prompts

escalation-prompt = { $counted } police call-outs in { $months } months meets the escalation criterion ({ $threshold } or more): refer to MARAC, and review the risk assessment and the safety plan.

## Programmes (admins)

programmes-title = Programmes
programmes-hint = Episodes join a programme and reports group by them. A programme added or retired here reaches every device of the organisation at its next sync; a retired one takes no new episodes and keeps its figures.
programmes-none = No programmes yet: episodes name their programme in words until one is added.
programme-weeks = { $weeks } weeks planned
programme-areas = outcome areas: { $areas }
programme-follow-ups = follow-ups at { $months } months
programme-retired = retired
programme-retire = Retire
programme-add-title = Add a programme
field-programme-name = Name
field-programme-kind = What kind of programme
field-planned-weeks = Weeks an episode is planned to last (if set)
    .hint = For example 16 for a four-month deferred-prosecution contract.
field-outcome-areas = Outcome areas, one a line
    .hint = The 1–10 scales rated across its cases, so distance travelled compares.
field-follow-up-months = Follow-ups, months after closing
    .hint = For example: 6, 12
programme-add = Add the programme
term-programme_kind = { $value ->
    [diversion] Diversion
    [womens_centre] Women's centre
    [liaison_and_diversion] Liaison and diversion
    [iom] Integrated offender management
    [domestic_abuse] Domestic abuse
    [outreach] Outreach
   *[other] Other
}

## The report on screen: section and table titles, measures, and the words of
## its rows and columns (what people named is shown as it is).
term-equality_question = { $value ->
    [ethnicity] ethnicity
    [sex] sex
    [gender_identity] gender identity
    [sexual_orientation] sexual orientation
    [disability] disability
    [religion] religion
    [care_experience] care experience
    [first_language] first language
   *[interpreter] interpreter
}
report-section-equality = Equality: { $question }
report-table-equality-engaged = Referred in the period, engaged or not, by { $question }
report-table-equality-endings = How episodes ended in the period, by { $question }
report-table-equality-reoffending = What the 6-month follow-up found, by { $question }
report-table-equality-housed = Settled accommodation at the latest status, by { $question }
report-measure-grants_total = Grants and vouchers given, in pounds: { $shown }, n = { $n }
report-measure-satisfaction_mean = Average satisfaction (1 to 5): { $shown }, n = { $n }
report-measure-distance = { $area }: distance travelled (cases rated twice or more): { $shown }, n = { $n }
report-measure-change = { $change } (from { $from } to { $to })
report-measure-none = none
report-measure-hidden = not shown (fewer than 5)
report-section-referrals = Referrals
report-table-referrals_by_source = Referrals by source
report-table-referrals_by_programme = Referrals by programme
report-table-referrals_by_month = Referrals by month
report-section-stages = Stages
report-table-stages_reached = Stages reached by the end of the period (episodes referred in it)
report-table-engagement = Engaged, of those referred in the period
report-table-endings = How episodes ended in the period
report-table-completion = Completed and breached, of the episodes that ended in the period
report-section-conditions = Conditions
report-table-conditions = Conditions due in the period, as they stood at its end
report-section-reoffending = Reoffending
report-table-reoffending = Episodes closed at least 6 or 12 months before the period ended, by what their follow-up found
report-section-outcomes = Outcomes
report-table-status_changes = From the first to the latest status (cases with two or more)
report-table-status_latest_good = A good outcome at the latest status (e.g. settled accommodation)
report-section-support = Practical support and feedback
report-table-support_given = Practical support given in the period
report-table-satisfaction = Satisfaction at closure (1 very unhappy, 5 very happy)
report-section-domestic_abuse = Domestic abuse
report-table-risk_assessments = Risk assessments completed in the period, by level
report-table-high_risk = People whose latest risk assessment by the end of the period is at the highest level
report-table-incidents = Incidents in the period, by whether the police were called
report-table-marac_prompts = MARAC referrals prompted in the period (by a risk assessment, or by police call-outs meeting the escalation criterion): made, or not and why
report-table-marac_referrals = MARAC referrals made in the period, by what came of them (as recorded now)
report-section-outreach = Outreach without a case
report-table-outreach_by_site = Outreach contacts without a case, by site
report-table-outreach_by_help = Outreach contacts without a case, by help given
report-word-12-months = 12 months
report-word-6-months = 6 months
report-word-contacts = Contacts
report-word-accepted = Accepted
report-word-accommodation = Accommodation
report-word-apology = Apology
report-word-asian-bangladeshi = Asian bangladeshi
report-word-asian-chinese = Asian chinese
report-word-asian-indian = Asian indian
report-word-asian-other = Asian other
report-word-asian-pakistani = Asian pakistani
report-word-assessments = Assessments
report-word-at-the-highest-level = At the highest level
report-word-below-it = Below it
report-word-bisexual = Bisexual
report-word-black-african = Black african
report-word-black-caribbean = Black caribbean
report-word-black-other = Black other
report-word-breached = Breached
report-word-buddhist = Buddhist
report-word-christian = Christian
report-word-closed = Closed
report-word-clothing = Clothing
report-word-compensation = Compensation
report-word-completed = Completed
report-word-could-not-check = Could not check
report-word-court = Court
report-word-declined = Declined
report-word-deselected = Deselected
report-word-different = Different
report-word-disengaged = Disengaged
report-word-emotional-support = Emotional support
report-word-employment-education-training = Employment education training
report-word-ended-otherwise = Ended otherwise
report-word-engaged = Engaged
report-word-episodes = Episodes
report-word-female = Female
report-word-finances = Finances
report-word-food = Food
report-word-food-parcel = Food parcel
report-word-further-offence = Further offence
report-word-gay-or-lesbian = Gay or lesbian
report-word-grant = Grant
report-word-harm-reduction = Harm reduction
report-word-health = Health
report-word-hindu = Hindu
report-word-housing = Housing
report-word-hygiene = Hygiene
report-word-improved = Improved
report-word-incidents = Incidents
report-word-information = Information
report-word-jewish = Jewish
report-word-liaison-and-diversion = Liaison and diversion
report-word-made = Made
report-word-male = Male
report-word-mental-health-support = Mental health support
report-word-met = Met
report-word-missed = Missed
report-word-mixed-other = Mixed other
report-word-mixed-white-and-asian = Mixed white and asian
report-word-mixed-white-and-black-african = Mixed white and black african
report-word-mixed-white-and-black-caribbean = Mixed white and black caribbean
report-word-muslim = Muslim
report-word-no = No
report-word-no-further-offence = No further offence
report-word-none = None
report-word-none-known = None known
report-word-not-asked = Not asked
report-word-not-engaged = Not engaged
report-word-not-made-already-referred = Not made: already referred
report-word-not-made-no-consent = Not made: no consent
report-word-not-made-other = Not made: other
report-word-not-made-out-of-area = Not made: out of area
report-word-not-made-reason-not-given = Not made: reason not given
report-word-not-made-risk-reduced = Not made: risk reduced
report-word-not-recorded = Not recorded
report-word-not-yet-decided = Not yet decided
report-word-other = Other
report-word-other-any = Other any
report-word-other-arab = Other arab
report-word-others-fewer-than-5-each = Others, fewer than 5 each
report-word-pathway = Pathway
report-word-pending = Pending
report-word-people = People
report-word-phone = Phone
report-word-police = Police
report-word-police-called = Police called
report-word-police-not-called = Police not called
report-word-prefer-not-to-say = Prefer not to say
report-word-probation = Probation
report-word-prompts = Prompts
report-word-referrals = Referrals
report-word-referred = Referred
report-word-restorative = Restorative
report-word-returned-to-court = Returned to court
report-word-same-as-registered-at-birth = Same as registered at birth
report-word-self = Self
report-word-signposting = Signposting
report-word-sikh = Sikh
report-word-social-care = Social care
report-word-straight = Straight
report-word-substance-use-treatment = Substance use treatment
report-word-times-given = Times given
report-word-travel = Travel
report-word-unchanged = Unchanged
report-word-unpaid-hours = Unpaid hours
report-word-varied = Varied
report-word-voluntary-sector = Voluntary sector
report-word-white-british = White british
report-word-white-gypsy-or-irish-traveller = White gypsy or irish traveller
report-word-white-irish = White irish
report-word-white-other = White other
report-word-white-roma = White roma
report-word-worsened = Worsened
report-word-yes = Yes
report-word-yes-limited-a-little = Yes limited a little
report-word-yes-limited-a-lot = Yes limited a lot
reports-chart = { $title } (chart)
reports-distance-chart = Distance travelled, first to latest average rating (chart)

## A record's fields, as a conflict or a change set aside names them.
term-record_field = { $value ->
    [accompany] Accompany
    [action] Action
    [action_index] Action index
    [actions] Actions
    [added_at] Added at
    [added_by] Added by
    [address] Address
    [address_restricted] Address restricted
    [agency] Agency
    [amended_at] Amended at
    [amount_pence] Amount pence
    [answers] Answers
    [area] Area
    [assessment_id] Assessment id
    [attended] Attended
    [author] Author
    [body] Body
    [care_experience] Care experience
    [case_id] Case id
    [checked_on] Checked on
    [child_arrangements] Child arrangements
    [children_present] Children present
    [closed_on] Closed on
    [closure_reason] Closure reason
    [code_words] Code words
    [comment] Comment
    [completed_at] Completed at
    [completed_by] Completed by
    [consent_topic] Consent topic
    [consents] Consents
    [contact_type] Contact type
    [count] Count
    [counted_on] Counted on
    [created_at] Created at
    [created_by] Created by
    [date_of_birth] Date of birth
    [decision] Decision
    [decisions] Decisions
    [definition] Definition
    [description] Description
    [detail] Detail
    [details] Details
    [disability] Disability
    [discussion] Discussion
    [done_at] Done at
    [done_by] Done by
    [done_on] Done on
    [due_on] Due on
    [duration_minutes] Duration minutes
    [email] Email
    [ends_at] Ends at
    [episode_id] Episode id
    [escalation] Escalation
    [escape_bag] Escape bag
    [ethnicity] Ethnicity
    [facilitators] Facilitators
    [file_name] File name
    [first_language] First language
    [follow_up_months] Follow up months
    [full_name] Full name
    [gender_identity] Gender identity
    [given_by] Given by
    [given_on] Given on
    [goal_id] Goal id
    [held_on] Held on
    [help] Help
    [injuries] Injuries
    [interpreter] Interpreter
    [key] Key
    [keyworker] Keyworker
    [kind] Kind
    [known_to_childrens_services] Known to childrens services
    [level] Level
    [lives] Lives
    [location] Location
    [log_id] Log id
    [made_on] Made on
    [media_type] Media type
    [meeting_id] Meeting id
    [meeting_on] Meeting on
    [months] Months
    [moved_on] Moved on
    [name] Name
    [need_area] Need area
    [needs] Needs
    [note] Note
    [note_id] Note id
    [occurred_at] Occurred at
    [occurred_on] Occurred on
    [offence] Offence
    [offence_on] Offence on
    [opened_on] Opened on
    [outcome] Outcome
    [outcome_areas] Outcome areas
    [outcome_note] Outcome note
    [own_case_id] Own case id
    [owner] Owner
    [phone] Phone
    [place] Place
    [planned_weeks] Planned weeks
    [point] Point
    [police_called] Police called
    [preferred_name] Preferred name
    [programme] Programme
    [programme_id] Programme id
    [prompts] Prompts
    [pronouns] Pronouns
    [raised_at] Raised at
    [raised_by] Raised by
    [rated_by] Rated by
    [rated_on] Rated on
    [rating] Rating
    [reason] Reason
    [recorded_at] Recorded at
    [recorded_by] Recorded by
    [recorded_on] Recorded on
    [referral_id] Referral id
    [referral_source] Referral source
    [relation] Relation
    [religion] Religion
    [reminder_minutes] Reminder minutes
    [resolved_at] Resolved at
    [resolved_by] Resolved by
    [result] Result
    [retired] Retired
    [review_on] Review on
    [route] Route
    [safe_contact] Safe contact
    [safe_places] Safe places
    [satisfaction] Satisfaction
    [score] Score
    [session_id] Session id
    [set_at] Set at
    [sex] Sex
    [sexual_orientation] Sexual orientation
    [signed_at] Signed at
    [signed_by] Signed by
    [site] Site
    [size_bytes] Size bytes
    [stage] Stage
    [starts_at] Starts at
    [status] Status
    [status_on] Status on
    [subject] Subject
    [subject_id] Subject id
    [team] Team
    [tech_safety] Tech safety
    [template_id] Template id
    [template_key] Template key
    [template_version] Template version
    [title] Title
    [trusted_people] Trusted people
    [updated_at] Updated at
    [updated_by] Updated by
    [value] Value
    [with_whom] With whom
    [words] Words
    [written_at] Written at
   *[written_by] Written by
}

## The CLI's messages to the person at the terminal (what scripts read stays as it is: ids, JSON)

cli-ask-passphrase = Passphrase
cli-ask-new-passphrase = New passphrase
cli-ask-new-passphrase-again = New passphrase again
cli-ask-current-passphrase = Current passphrase
cli-ask-their-passphrase = { $user }'s passphrase
cli-internal-error = internal error at { $place }; details withheld to protect case data
cli-cannot-write = cannot write the output: { $error }
cli-store-created = created { $user }'s Waymark store on this laptop at { $path }
cli-store-erased = { $user }'s store is erased from this laptop
cli-passphrase-changed = passphrase changed (your store is re-keyed; your login too, if linked to a server)
cli-logged-in = logged in to { $server } as { $user } ({ $role }); this device is { $device }
cli-joined = joined { $server } as { $user } ({ $role }); your store on this laptop is at { $path } and this device is { $device }
cli-conflict-resolved = resolved { $id }; the choice syncs at the next sync
cli-recovery-key-made = recovery key { $fingerprint } made; its secret is in { $path } (shown this once: keep it offline)
cli-resealed = resealed { $count } case { $count ->
        [one] key
       *[other] keys
    } for { $user }'s devices
cli-erasure-cancelled = the erasure of case { $case } is cancelled
cli-erased = erased case { $case }
cli-erasure-second-person = asked to erase case { $case }: another supervisor or admin confirms it with `waymark erase-case { $case } --reason ...` by { $when }, or the request lapses
cli-erasure-grace = case { $case } will be erased at { $when } unless cancelled (`waymark erase-case { $case } --cancel`)
cli-shared = shared with { $user }: their devices receive it once this one has synced
cli-shared-volunteer = shared with { $user }: their devices receive it once this one has synced (a volunteer: the case's contact brief, appointments and their own notes only)
cli-unshared = no longer shared with { $user }: their devices drop it at their next sync; the case takes a new key at this device's
cli-reassigned = { $user } is the keyworker now: sync to send it; the keyworker before drops the case at their next sync
cli-marac-form-written = wrote the MARAC referral form to { $path } (it is outside the encrypted store: send it securely, then delete it)
cli-identity-here = { $user } on this device
cli-identity-phrase = fingerprint phrase: { $phrase }
cli-identity-confirmed = confirmed by an admin as { $role }
cli-identity-waiting = waiting for an admin to confirm: read them this phrase; until they confirm it, colleagues' devices seal you no case keys
cli-confirmed = confirmed { $user } as { $role } (identity { $phrase }); their colleagues' devices seal them case keys from their next sync
cli-confirmed-in-team = confirmed { $user } as { $role } in team { $team } (identity { $phrase }); their colleagues' devices seal them case keys from their next sync
cli-synced = pushed { $pushed } { $pushed ->
        [one] change
       *[other] changes
    } ({ $already } already on the server); pulled { $pulled }, applied { $applied }
cli-synced-conflicts = { $new } new { $new ->
        [one] conflict
       *[other] conflicts
    }; { $open } open (see `waymark conflicts`)
cli-synced-held = { $count } { $count ->
        [one] change
       *[other] changes
    } from a newer Waymark are kept until this device is upgraded
cli-synced-withdrawn = { $count } { $count ->
        [one] case
       *[other] cases
    } you no longer hold (unshared, or given to another keyworker) dropped from this device
cli-synced-set-aside = { $count } { $count ->
        [one] change
       *[other] changes
    } you made in cases taken from you over 30 days ago were not sent: they are kept here (waymark set-aside) to pass on
cli-synced-awaiting-key = { $count } { $count ->
        [one] change waits
       *[other] changes wait
    } for their case key: a colleague's device that holds it seals it for this one when it next syncs
cli-synced-waiting = waiting for an admin to confirm your identity (waymark identity shows the phrase to compare): until then colleagues' devices seal you no case keys
cli-synced-keys-refused = { $count } case { $count ->
        [one] key
       *[other] keys
    } held aside unopened: no confirmed colleague signed them (see `waymark refused`)
cli-synced-recipients-refused = { $recipients } { $recipients ->
        [one] recipient
       *[other] recipients
    } the server listed were refused, never sealed to, and { $certificates } { $certificates ->
        [one] certificate
       *[other] certificates
    } did not verify (see `waymark refused`)
cli-synced-refused = { $count } { $count ->
        [one] change
       *[other] changes
    } refused and not applied: tampered with, or breaking a rule this device holds every change to (see `waymark refused`)
cli-synced-behind = the server is missing changes of { $count } { $count ->
        [one] case
       *[other] cases
    } (restored from a backup?)
cli-no-refused-changes = no refused changes
cli-no-refused-recipients = no refused recipients
cli-no-conflicts = no conflicts
cli-shared-with-no-one = shared with: no one
cli-none-allocated = No cases allocated here.
cli-nothing-due = Nothing is due.
cli-nothing-signed-off = Nothing on this case is signed off yet.
cli-nothing-set-aside = Nothing set aside: every change you made was sent or waits to be.
cli-no-group-sessions = No group sessions here.
cli-no-one-registered = No one on the register of the cases held here.
cli-no-tallies = No outreach tallies here in that time.
cli-no-one-linked = No one is linked to this case.
cli-no-supervision-notes = No supervision notes on this case here.
cli-no-marac-meeting = No MARAC meeting recorded.
cli-no-safety-plan = No safety plan yet (set one: safety-plan CASE --review-on DATE --safe-places ...).
cli-none-closed-that-long = no case has been closed that long
cli-small-numbers = Counts of 1 to 4 show as <5; a count that would give one away shows as *.
cli-equality-recorded = Equality monitoring recorded (reported only; `--json` shows it)
