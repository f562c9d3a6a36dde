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
