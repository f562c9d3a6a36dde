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

## A case: its header and sections

case-opening = Opening the case…
case-back = ← Caseload
case-born = born { $date }
case-risk = Risk:
case-incidents = Incidents in 12 months: { $count } ({ $police } with the police called)
case-keyworker = keyworker { $keyworker }
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
