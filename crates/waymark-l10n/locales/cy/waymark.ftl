# Geiriau Waymark yn Gymraeg. Mae'r enwau yr un fath ag yn en-GB/waymark.ftl:
# yr un negeseuon, priodoleddau a newidynnau yn y ddwy.

## Dyddiadau: bob amser ar ffurf y DU ("3 Chwef 2026, 14:05").

month-short = { $month ->
    [1] Ion
    [2] Chwef
    [3] Maw
    [4] Ebr
    [5] Mai
    [6] Meh
    [7] Gorff
    [8] Awst
    [9] Medi
    [10] Hyd
    [11] Tach
   *[12] Rhag
}
date = { $day } { $month } { $year }
date-time = { $date }, { $time }

## Iaith

language-other = English
    .label = Change the language to English

## Bob amser yno

skip-to-content = Neidio i'r cynnwys
opening = Yn agor Waymark…
brand = Waymark
nav-main = Prif
nav-your-cases = Eich achosion
nav-caseload = Llwyth achosion
nav-agenda = Dyddiadur
nav-groups = Grwpiau
nav-team = Tîm
nav-reports = Adroddiadau
nav-sync = Cysoni
nav-sync-conflicts = Cysoni ({ $count } i'w hadolygu)
nav-settings = Gosodiadau
quick-exit = Gadael yn gyflym ({ $key })
    .title = Cuddio popeth a chloi ({ $key })

## Gadael drwy bwyso Shift ("Gadael y dudalen hon" GOV.UK), i ddarllenwyr sgrin

exit-to-go = { $left ->
    [one] Shift, pwyswch unwaith eto i adael.
    [two] Shift, pwyswch ddwywaith eto i adael.
   *[other] Shift, pwyswch { $left } gwaith eto i adael.
}
exit-expired = Mae'r amser i adael y dudalen hon wedi dod i ben.
exiting = Yn gadael.

## Ffurflenni

field-required = (gofynnol)

error-summary-title = Mae problem

## Pam y gwrthodwyd maes (rhesymau'r craidd; daw label y maes o'u blaen)

reason-empty = ni all fod yn wag
reason-too-long = mae'n hirach na { $max } nod
reason-date-in-future = mae { $date } yn y dyfodol
reason-in-future = mae'r amser yn y dyfodol
reason-date-in-past = mae { $date } yn y gorffennol
reason-before-1900 = mae { $date } cyn 1900
reason-before-episode-opened = mae { $date } cyn i'r cyfnod agor ({ $opened })
reason-before-last-move = mae { $date } cyn symudiad olaf y cyfnod neu ei agor ({ $last })
reason-from-to = rhaid iddo fod o { $min } i { $max }
reason-at-least = rhaid iddo fod yn { $min } neu fwy
reason-at-most = rhaid iddo fod yn { $max } neu lai
reason-named-twice = mae "{ $name }" wedi'i enwi ddwywaith
reason-ends-before-start = mae'n gorffen cyn iddo ddechrau
reason-longer-than-a-day = mae'n fwy na 24 awr ar ôl y dechrau
reason-more-than-a-year-ahead = mae'n fwy na blwyddyn ymlaen llaw
reason-required = mae ei angen
reason-before-meeting = mae { $date } cyn y cyfarfod ({ $meeting })
reason-not-after-episode-closed = nid yw { $date } ar ôl i'r cyfnod gau ({ $closed })
reason-already-done = mae wedi'i wneud eisoes
reason-already-closed = mae ar gau eisoes
reason-episode-closed = mae ar gau
reason-not-phone-number = rhaid iddo fod yn rhif ffôn (digidau, bylchau, + ( ) -)
reason-not-email-address = rhaid iddo fod yn gyfeiriad e-bost
reason-need-listed-twice = mae { $need } wedi'i restru ddwywaith
reason-required-to-close = mae ei angen i gau cyfnod
reason-already-resolved = wedi'i ddatrys eisoes
reason-not-agreed-consent = nid yw'n ganiatâd y mae'r person wedi cytuno iddo
reason-not-a-need = nid yw'n un o anghenion y person
reason-pounds-from-to = rhaid iddo fod o { $min } i { $max }
reason-score-or-words = mae angen sgôr o { $min } i { $max }, neu eu geiriau
reason-before-appointment-starts = ni ellir ei gofnodi cyn i'r apwyntiad ddechrau
reason-before-flag-raised = mae cyn i'r faner gael ei chodi
reason-file-too-large = mae'n { $size } MiB; y terfyn yw { $limit } MiB
reason-not-a-file-name = rhaid iddo fod yn enw ffeil, nid yn llwybr
reason-other-needs-words = mae angen y rheswm mewn geiriau ar gyfer "Arall"
reason-same-as-note-text = mae'r un fath â thestun presennol y nodyn
reason-no-letter-or-digit = rhaid iddo gynnwys o leiaf un llythyren neu ddigid
reason-not-a-user-name = rhaid iddo fod yn 1 i 64 o lythrennau, digidau, bylchau neu . _ - ' @
reason-give-user-name = rhowch eich enw defnyddiwr
reason-give-user-name-shared = mae mwy nag un person yn defnyddio Waymark ar y gliniadur hwn: rhowch eich enw defnyddiwr
reason-passphrase-changed = newidiwyd eich cyfrinymadrodd: datgloi gyda'r un newydd
reason-removed-from-device = mae "{ $name }" wedi'i dynnu oddi ar y ddyfais hon
reason-already-signed-off = mae wedi'i gymeradwyo eisoes
reason-already-decided = mae wedi'i benderfynu eisoes
reason-say-why-erased = dywedwch pam mae'r achos yn cael ei ddileu
reason-after-period-end = mae { $from } ar ôl diwedd y cyfnod ({ $to })
reason-passphrase-too-short = rhaid iddo fod yn { $min } nod o leiaf; mae ychydig eiriau digyswllt yn gweithio'n dda
reason-not-enrolled-here = nid yw "{ $name }" wedi'i gofrestru ar y ddyfais hon
reason-manager-reads-only = mae rheolwr yn darllen achosion y sefydliad ac nid yw'n newid dim un ohonynt
reason-volunteer-notes-only = dim ond nodiadau a chanlyniadau apwyntiadau y mae gwirfoddolwr yn eu cofnodi
reason-only-supervisor-signs-off = dim ond goruchwyliwr neu weinyddwr a gadarnhawyd gan y sefydliad sy'n cymeradwyo
reason-only-supervisor-writes-notes = dim ond goruchwyliwr a gadarnhawyd gan y sefydliad sy'n ysgrifennu nodiadau goruchwylio
reason-only-supervisor-erases = dim ond goruchwyliwr neu weinyddwr a gaiff ddileu achos
reason-condition-settled = cofnodwyd ei fod { $status ->
        [met] wedi'i fodloni
        [missed] wedi'i fethu
       *[varied] wedi'i amrywio
    } ar { $on }: mae hynny'n sefyll
reason-only-varied-changes-due = dim ond amod a amrywiwyd sy'n newid ei ddiwrnod dyledus
reason-episode-still-open = mae ar agor: daw dilyniant ar ôl iddo gau
reason-follow-up-not-due = mae'r dilyniant { $months } mis yn ddyledus ar { $due }
reason-follow-up-recorded = cofnodwyd y dilyniant { $months } mis ar { $on }
reason-programme-name-taken = mae rhaglen o'r enw "{ $name }" eisoes
reason-programme-retired = mae { $name } wedi'i hymddeol: nid oes cyfnodau newydd yn ymuno â hi
reason-other-party-not-a-case = y parti arall yw hwn: nid yw'n cael ei agor fel achos o achos y person
reason-has-own-case = mae ganddynt achos eu hunain eisoes
reason-no-escalation = ni wnaeth y digwyddiad hwn ysgogi atgyfeiriad (nid oedd yn bodloni'r maen prawf uwchgyfeirio)
reason-not-on-device-yet = nid yw ei gynnwys ar y ddyfais hon eto; cysonwch i'w nôl
reason-removed = cafodd ei dynnu ac ni ellir ei newid
reason-restricted-without-address = mae wedi'i osod ond nid oes cyfeiriad
reason-feedback-given = rhoddwyd ei adborth ar { $on }
reason-template-version-exists = mae fersiwn { $version } o { $key } yn bodoli eisoes; rhowch fersiwn newydd i'r templed a newidiwyd
reason-recovery-key-first = nid oes gan y sefydliad allwedd adfer eto i selio'r rheswm iddi: mae gweinyddwr yn ei gwneud yn gyntaf (Gosodiadau, neu waymark recovery-key create)
reason-only-confirmed-admin = dim ond gweinyddwr y mae ei hunaniaeth ei hun wedi'i chadarnhau all gadarnhau pobl neu warantu allweddi; cysonwch, neu gofynnwch i weinyddwr arall eich cadarnhau
reason-log-in-first = mewngofnodwch i weinydd y sefydliad yn gyntaf
reason-declined-only = dim ond gyda phenderfyniad i beidio â'i wneud y mae rheswm dros beidio â'i wneud yn mynd
reason-unreachable = { $failure ->
        [name_not_found] methu cyrraedd y gweinydd: nid yw ei enw'n cael ei ddatrys (all-lein, neu gyfeiriad anghywir)
        [refused] methu cyrraedd y gweinydd: gwrthodwyd y cysylltiad (nid oes dim yn gwrando yn y cyfeiriad hwnnw)
        [reset] ailosodwyd y cysylltiad â'r gweinydd cyn iddo ateb
        [timed_out] ni atebodd y gweinydd mewn pryd
        [truncated] torrwyd ateb y gweinydd cyn iddo fod yn gyflawn
        [certificate] nid yw tystysgrif y gweinydd yn cael ei hymddiried (mae WAYMARK_CA_CERT yn enwi awdurdod y sefydliad ei hun)
       *[other] methu cyrraedd y gweinydd
    }; mae eich gwaith wedi'i gadw
reason-not-connected-yet = nid yw'r person hwn wedi'i gysylltu â gweinydd eto (Cysoni → Cysylltu)
reason-not-a-server-address = rhaid iddo ddechrau gyda https:// (neu http:// ar y cyfrifiadur hwn)
reason-unknown-credentials = nid yw'r gweinydd yn adnabod yr enw defnyddiwr hwn gyda'r cyfrinymadrodd hwn
reason-enrolment-code-refused = mae'r cod hwn yn anghywir, wedi'i ddefnyddio eisoes neu wedi dod i ben: gofynnwch i'ch gweinyddwr am un newydd
reason-choose-own-passphrase = gosodwyd eich cyfrinymadrodd gan weinyddwr: dewiswch eich un eich hun (Gosodiadau → Newid y cyfrinymadrodd) cyn i chi gysoni
reason-account-disabled = mae eich cyfrif wedi'i analluogi: gofynnwch i'ch gweinyddwr
reason-access-withdrawn = tynnwyd mynediad y gliniadur hwn yn ôl gan eich gweinyddwr
reason-only-admin = dim ond gweinyddwr a gadarnhawyd gan y sefydliad all { $task ->
        [import_template] fewnforio templed
        [add_programme] ychwanegu rhaglen
       *[retire_programme] ymddeol rhaglen
    }: mae'n mynd i bob dyfais
reason-no-such-programme = nid oes rhaglen o'r enw "{ $name }"
reason-no-such-programme-listed = nid oes rhaglen o'r enw "{ $name }": rhai'r sefydliad yw { $open }
reason-episode-ended = mae'r cyfnod { $stage }: mae wedi dod i ben, ac mae atgyfeiriad newydd yn gyfnod newydd
reason-not-onward = mae'r cyfnod { $stage }: gall symud ymlaen i'r rhain: { $onward }; nid i: { $to }
reason-no-disposal-route = nid oes ganddo lwybr gwaredu: daw amodau gyda rhybudd amodol, datrysiad cymunedol neu erlyniad gohiriedig
reason-conditions-not-met = { $count } amod heb eu bodloni: { $unmet }; cofnodwch bob un a fodlonwyd, neu'r torri amodau
reason-condition-unmet = { $kind } yn ddyledus ar { $due } ({ $status ->
        [met] wedi'i fodloni
        [missed] wedi'i fethu
        [varied] wedi'i amrywio
       *[pending] yn aros
    })
reason-easy-to-guess = mae'n rhy hawdd ei ddyfalu: { $advice }
reason-easy-to-guess-because = mae'n rhy hawdd ei ddyfalu ({ $warning }): { $advice }
guess-warning = { $warning ->
        [straight_rows_of_keys] mae rhesi syth o fysellau yn hawdd eu dyfalu
        [short_keyboard_patterns] mae patrymau byr ar y bysellfwrdd yn hawdd eu dyfalu
        [repeats_like_aaa] mae ailadrodd fel "aaa" yn hawdd ei ddyfalu
        [repeats_like_abcabc] dim ond ychydig yn anoddach ei ddyfalu na "abc" yw ailadrodd fel "abcabcabc"
        [top_10] mae hwn yn un o'r 10 cyfrinair mwyaf cyffredin
        [top_100] mae hwn yn un o'r 100 cyfrinair mwyaf cyffredin
        [common_password] mae hwn yn gyfrinair cyffredin iawn
        [like_a_common_password] mae hwn yn debyg i gyfrinair a ddefnyddir yn aml
        [sequences] mae dilyniannau fel abc neu 6543 yn hawdd eu dyfalu
        [recent_years] mae blynyddoedd diweddar yn hawdd eu dyfalu
        [a_word_on_its_own] mae gair ar ei ben ei hun yn hawdd ei ddyfalu
        [dates] mae dyddiadau'n aml yn hawdd eu dyfalu
        [names_on_their_own] mae enwau a chyfenwau ar eu pen eu hunain yn hawdd eu dyfalu
       *[common_names] mae enwau a chyfenwau cyffredin yn hawdd eu dyfalu
    }
guess-advice = { $advice ->
        [use_a_few_words] defnyddiwch ychydig o eiriau, ac osgowch ymadroddion cyffredin
        [no_need_for_symbols] nid oes angen symbolau, digidau na phriflythrennau
        [add_a_word_or_two] ychwanegwch air neu ddau arall; mae geiriau anghyffredin yn well
        [capitals_help_little] nid yw priflythrennau'n helpu llawer
        [all_capitals] mae'r cyfan mewn priflythrennau bron mor hawdd ei ddyfalu â'r cyfan mewn llythrennau bach
        [reversed_words] nid yw geiriau wedi'u sillafu tuag yn ôl fawr anoddach eu dyfalu
        [predictable_swaps] nid yw cyfnewid rhagweladwy, fel @ yn lle a, yn helpu llawer
        [longer_keyboard_pattern] defnyddiwch batrwm hirach ar y bysellfwrdd gyda mwy o droeon
        [avoid_repeats] osgowch eiriau a nodau wedi'u hailadrodd
        [avoid_sequences] osgowch ddilyniannau
        [avoid_recent_years] osgowch flynyddoedd diweddar
        [avoid_your_years] osgowch flynyddoedd sy'n gysylltiedig â chi
       *[avoid_your_dates] osgowch ddyddiadau a blynyddoedd sy'n gysylltiedig â chi
    }
reason-no-follow-ups = nid yw { $programme } yn gosod dilyniannau
reason-follow-up-months = mae { $programme } yn dilyn i fyny ar ôl { $months } mis, nid { $asked }
list-and = { $first } a { $last }
reason-no-outcome-areas = nid yw { $programme } yn enwi meysydd canlyniad
reason-not-an-outcome-area = mae { $programme } yn sgorio { $areas }, nid "{ $asked }"
reason-in-no-programme-follow-ups = nid yw mewn unrhyw un o raglenni'r sefydliad, felly nid oes un yn gosod ei ddilyniannau
reason-in-no-programme-outcomes = nid yw mewn unrhyw un o raglenni'r sefydliad, felly nid oes un yn enwi ei feysydd canlyniad
reason-only-report-roles = dim ond goruchwyliwr, rheolwr neu weinyddwr a gadarnhawyd gan y sefydliad sy'n rhedeg adroddiadau
reason-no-team-yet = nid oes tîm o'r enw "{ $asked }": nid oes tystysgrif neb ar y ddyfais hon yn enwi tîm eto (mae gweinyddwr yn cadarnhau pobl eto i ardystio eu timau)
reason-no-such-team = nid oes tîm o'r enw "{ $asked }": y timau yw { $teams }
reason-programme-named-more-than-once = mae { $count } rhaglen o'r enw "{ $name }": mae gweinyddwr yn ymddeol un
reason-route-only-for-diversion = nid yw { $programme } yn rhaglen ddargyfeirio: dim ond dargyfeirio sy'n cymryd llwybr gwaredu
reason-not-a-marac-referral = nid yw'n atgyfeiriad MARAC ar gyfer yr achos hwn
reason-not-a-risk-assessment = nid yw { $template } yn asesiad risg (nid yw'n ysgogi atgyfeiriad MARAC)
reason-no-such-action = cytunodd y nodyn ar { $count } cam gweithredu: rhowch 1 i { $count }
reason-no-such-prompt = nid oes gan yr asesiad hwn gam a awgrymwyd rhif { $number }
reason-no-such-template = nid oes templed asesu "{ $key }"
reason-no-such-template-version = nid oes fersiwn { $version } o'r templed asesu "{ $key }"
reason-met-missed-or-varied = wedi'i fodloni, wedi'i fethu neu wedi'i amrywio
reason-set-or-ask-in-terminal = gosodwch { $var } neu rhedwch mewn terfynell i gael eich holi
reason-passphrases-differ = mae'r ddau gyfrinymadrodd yn wahanol
reason-say-why-not-made = dywedwch pam nad yw'n cael ei wneud: un o { $reasons }

## Y tro cyntaf: ymuno â'r sefydliad

first-run-title = Croeso i Waymark
first-run-intro = Ymunwch â'ch sefydliad: bydd eich gweinyddwr yn rhoi cyfeiriad y gweinydd i chi, eich enw defnyddiwr ac, y tro cyntaf, god cofrestru untro; chi sy'n dewis eich cyfrinymadrodd eich hun. Cewch storfa eich hun ar y gliniadur hwn, na all neb arall sy'n ei ddefnyddio ei hagor. Mae eich cyfrinymadrodd yn ei diogelu; ni all Waymark ei adfer.
demo-title = Rhoi cynnig ar Waymark?
demo-text = Mae gweinydd arddangos gyda phobl ffug yn rhedeg yn { $server }. Mewngofnodwch fel { $worker } (gweithiwr achos) neu { $supervisor } (goruchwyliwr); y cyfrinymadrodd arddangos yw “{ $passphrase }”.
demo-use = Defnyddio'r arddangosiad
field-server = Cyfeiriad y gweinydd
    .hint = Er enghraifft https://sync.example.org
field-user = Eich enw defnyddiwr
field-enrolment-code = Cod cofrestru
    .hint = Y tro cyntaf yn unig: y cod gan eich gweinyddwr, e.e. 7K2M-QX9P-AB3D-EF4G-HJ5K. Os ydych eisoes yn defnyddio Waymark ar liniadur arall, gadewch ef yn wag a rhowch eich cyfrinymadrodd.
field-passphrase = Cyfrinymadrodd
field-new-passphrase = Cyfrinymadrodd
    .hint = Gyda chod, dewiswch un: o leiaf 12 nod; mae ychydig eiriau digyswllt yn gweithio'n dda.
field-passphrase-again = Y cyfrinymadrodd eto
passphrases-differ = mae'r ddau gyfrinymadrodd yn wahanol
join = Ymuno a nôl fy achosion
joining = Yn ymuno…
back-to-unlock = Rwyf eisoes yn defnyddio Waymark ar y gliniadur hwn: datgloi

## Datgloi

unlock-title = Datgloi Waymark
unlock-user-hint = Mae gan bob person ar y gliniadur hwn eu storfa eu hunain; mae eich un chi'n agor â'ch cyfrinymadrodd.
unlock = Datgloi
unlocking = Yn datgloi…
unlock-quick-exit = Gadael yn gyflym unrhyw bryd: { $key } neu'r botwm Gadael yn gyflym.
new-person = Yn newydd i Waymark ar y gliniadur hwn? Ymunwch â'ch sefydliad

## Ar draws yr ap

loading = Yn llwytho…
risk-level = { $level ->
    [high] Uchel
    [medium] Canolig
    [standard] Safonol
   *[other] { $level }
}
risk-not-assessed = Heb ei asesu

## Y llwyth achosion

caseload-title = Llwyth achosion
caseload-of = Achosion { $keyworker }
caseload-new-case = Achos newydd
caseload-filters = Dod o hyd i achosion a'u hidlo
caseload-search = Chwilio enwau a nodiadau
caseload-risk-level = Lefel risg
caseload-risk-any = Unrhyw un
caseload-no-contact-days = Dim cyswllt ers o leiaf (diwrnodau)
caseload-review-overdue = Adolygiad yn hwyr
caseload-has-flags = Â baneri agored
caseload-only-mine = Fy achosion i yn unig
caseload-group = Grwpio fesul gweithiwr allweddol
caseload-count = { $total ->
    [zero] Dim achosion
    [one] 1 achos
    [two] 2 achos
   *[other] { $total } achos
}, y rhai sydd fwyaf angen sylw yn gyntaf (yn dangos { $shown })
caseload-caption = Achosion
caseload-col-name = Enw
caseload-col-keyworker = Gweithiwr allweddol
caseload-col-risk = Risg
caseload-col-flags = Baneri
caseload-col-last-contact = Cyswllt diwethaf
caseload-col-next-appointment = Apwyntiad nesaf
caseload-col-review = Adolygiad
caseload-last-contact = { $days ->
    [0] heddiw
    [1] ddoe
   *[other] { $days } diwrnod yn ôl
}
caseload-never = byth
caseload-overdue = yn hwyr ({ $date })
caseload-no-keyworker = Dim gweithiwr allweddol
caseload-show-more = Dangos mwy
caseload-found = Wedi'i ganfod mewn cofnodion
search-hit-kind = { $kind ->
    [person] Person
   *[note] Nodyn
}

## Statws cysoni, bob amser yn y bar

sync-running = Yn cysoni…
sync-running-phase = Yn cysoni ({ $phase ->
    [push] yn anfon
   *[pull] yn nôl
}) { $done }/{ $total }
sync-not-connected = Heb gysylltu â gweinydd
sync-offline = All-lein — { $count ->
    [one] 1 newid yn aros
   *[other] { $count } newid yn aros
} ar y gliniadur hwn
sync-unsynced = { $count ->
    [one] 1 newid
   *[other] { $count } newid
} heb eu cysoni eto
sync-waiting-for-confirmation = Yn aros i weinyddwr eich cadarnhau (gweler Gosodiadau): tan hynny ni fydd allweddi achos yn cyrraedd y gliniadur hwn
sync-awaiting-keys = { $count ->
    [one] 1 newid yn aros
   *[other] { $count } newid yn aros
} am eu hallweddi achos o ddyfais cydweithiwr
sync-up-to-date = Yn gyfredol · cysonwyd ddiwethaf { $when }
sync-never = Heb gysoni eto
sync-refused = { $synced } · { $count } wedi'u gwrthod (gweler Cysoni)
sync-progress = Cynnydd cysoni

## Achos: ei bennawd a'i adrannau

case-opening = Yn agor yr achos…
case-back = ← Llwyth achosion
case-born = ganwyd { $date }
case-risk = Risg:
case-incidents = Digwyddiadau mewn 12 mis: { $count } ({ $police } gyda'r heddlu wedi'u galw)
case-episode = { $programme } ({ $status }), { $stage }, gweithiwr allweddol { $keyworker }
case-sign-offs = Wedi'i gymeradwyo gan oruchwyliwr
case-signed-off = Wedi'i gymeradwyo: { $what } gan { $by } ar { $when }
someone-unknown = rhywun nad yw'n hysbys yma
case-flags = Baneri diogelu
case-safe-contact = Cysylltu'n ddiogel
case-safe = { $answer ->
    [yes] ydy
    [no] NA
   *[unknown] ddim yn hysbys
}
case-safe-ways = Galwadau: { $calls } · Negeseuon testun: { $texts } · Neges llais: { $voicemail }
case-safe-times = Amseroedd diogel:
case-code-word = Gair cod:
case-no-instructions = Dim cyfarwyddiadau wedi'u cofnodi.
case-phone = Ffôn:
case-address = Cyfeiriad:
case-hide-address = Cuddio'r cyfeiriad
case-reveal = Datgelu (cofnodir hyn)
    .title = Mae ei ddangos yn cael ei gofnodi yn y trywydd archwilio
case-sections = Adrannau'r achos
section-timeline = Llinell amser
section-details = Manylion a chydsyniadau
section-notes = Nodiadau
section-plan = Cynllun cymorth
section-appointments = Apwyntiadau
section-assessments = Asesiadau
section-incidents = Digwyddiadau
section-safety = Cynllun diogelwch a MARAC
section-referrals = Atgyfeiriadau a baneri
section-attachments = Atodiadau
section-linked = Pobl gysylltiedig
section-supervision = Goruchwyliaeth
section-access = Pwy sy'n ei ddal

## Gosodiadau

settings-prefs = Cloi ac iaith
settings-lock-minutes = Cloi ar ôl y nifer hwn o funudau heb ddefnydd
    .hint = 1 i 60. { $key } yw'r ffordd i adael yn gyflym bob amser.
settings-whole-minutes = rhowch nifer cyfan o funudau
settings-language = Iaith
    .hint = Geiriau'r ap; mae'r hyn a ysgrifennodd pobl yn aros fel y'i hysgrifennwyd.
settings-save = Cadw'r gosodiadau
settings-saved = Gosodiadau wedi'u cadw.
settings-passphrase = Newid eich cyfrinymadrodd
settings-current-passphrase = Cyfrinymadrodd presennol
settings-new-passphrase = Cyfrinymadrodd newydd
settings-new-passphrase-again = Y cyfrinymadrodd newydd eto
settings-rekey-hint = Caiff eich storfa ei hailamgryptio dan allwedd newydd, felly nid yw hen gopi o'i ffeil allweddi yn agor dim. Mae storfa fawr yn cymryd ychydig eiliadau.
settings-rekeying = Yn ailamgryptio eich storfa…
settings-change-passphrase = Newid y cyfrinymadrodd
settings-passphrase-changed = Cyfrinymadrodd wedi'i newid.
settings-signed-in-as = Wedi mewngofnodi fel { $user }.
identity-title = Eich hunaniaeth ar y gliniadur hwn
identity-confirmed = Wedi'ch cadarnhau gan weinyddwr fel { $role ->
    [worker] gweithiwr achos
    [supervisor] goruchwyliwr
    [manager] rheolwr
    [admin] gweinyddwr
   *[volunteer] gwirfoddolwr
}.
identity-waiting = Yn aros i weinyddwr eich cadarnhau: tan hynny, ni fydd gliniaduron cydweithwyr yn rhoi allweddi achos i chi.
identity-hint = Mae gweinyddwr yn cymharu'r ymadrodd hwn â'r hyn y mae eu gliniadur yn ei ddangos amdanoch chi, wyneb yn wyneb neu ar alwad, cyn eich cadarnhau.

## Nodiadau a llinell amser achos

timeline-empty = Dim wedi'i gofnodi eto.
notes-write = Ysgrifennu nodyn
notes-contact-type = Math o gyswllt
notes-duration = Hyd (munudau)
notes-where = Ble
notes-body = Nodyn
    .hint = Caiff ei gadw fel drafft wrth i chi deipio; mae drafft yn goroesi cloi a chwalu.
notes-choose-contact = dewiswch sut y bu'r cyswllt
notes-save = Cadw'r nodyn
notes-discard = Taflu'r drafft
notes-so-far = Nodiadau hyd yma ({ $count })
draft-brought-back = Drafft wedi'i adfer (cadwyd { $when })
draft-saved = Drafft wedi'i gadw { $when }
draft-not-saved = Drafft heb ei gadw: { $why }
note-saved = Nodyn wedi'i gadw.
draft-discarded = Drafft wedi'i daflu.
note-by = gan { $who }
note-amend = Diwygio
note-history = Hanes
note-amend-form = Diwygio'r nodyn hwn
note-corrected = Nodyn wedi'i gywiro
note-reason = Rheswm dros y newid
note-save-amendment = Cadw'r diwygiad
note-versions = Fersiynau o'r nodyn hwn
note-original = Gwreiddiol ({ $when }{ $by }):
note-amended = Diwygiwyd { $when }{ $by } — rheswm:

## Y dyddiadur a'r hyn sy'n ddyledus

agenda-due = Yn ddyledus
agenda-open-case = Agor achos { $name }
agenda-today = Heddiw
agenda-week = Yr wythnos hon
agenda-none = Dim apwyntiadau.
due-condition-overdue = Amod { $kind } yn hwyr: cofnodwch a gafodd ei fodloni neu ei fethu
due-condition-missed = Amod { $kind } wedi'i fethu: penderfynwch ar dorri amodau
due-follow-up = Dilyniant { $months } mis ({ $programme }): a oes trosedd arall yn hysbys?
due-assessment-prompt = Wedi'i ysgogi gan asesiad risg, heb benderfyniad eto: { $prompt }
due-incident-prompt = Wedi'i ysgogi gan ddigwyddiad, heb benderfyniad eto: { $prompt }
due-sign-off = I'w gymeradwyo fel un a adolygwyd: { $what }
due-marac-action = Cam gweithredu MARAC yn hwyr: { $action } ({ $agency }, { $owner })
due-safety-plan = Roedd adolygiad y cynllun diogelwch yn ddyledus ar { $date }
due-supervision-action = Cytunwyd mewn goruchwyliaeth: { $action } ({ $owner }, erbyn { $date })
sign-off = Cymeradwyo

## Y geirfaoedd caeedig a gynigir gan y ffurflenni: un neges yr un, yn dewis ar $value

term-contact_type = { $value ->
    [face_to_face] Wyneb yn wyneb
    [phone] Ffôn
    [visit] Ymweliad
    [outreach] Allgymorth
    [text] Neges destun
    [email] E-bost
    [video] Fideo
    [letter] Llythyr
   *[other] Arall
}
term-referral_source = { $value ->
    [police] Heddlu
    [probation] Prawf
    [court] Llys
    [liaison_and_diversion] Cyswllt a dargyfeirio
    [self] Hunangyfeirio
    [health] Iechyd
    [housing] Tai
    [social_care] Gofal cymdeithasol
    [voluntary_sector] Sector gwirfoddol
   *[other] Arall
}
term-need_area = { $value ->
    [mental_health] Iechyd meddwl
    [substance_use] Defnyddio sylweddau
    [housing] Tai
    [domestic_abuse] Cam-drin domestig
    [offending] Troseddu
    [finance] Arian
    [physical_health] Iechyd corfforol
    [education_training_employment] Addysg, hyfforddiant a chyflogaeth
    [family_and_children] Teulu a phlant
   *[other] Arall
}
term-agency = { $value ->
    [probation] Prawf
    [court] Llys
    [gp] Meddyg teulu
    [housing] Tai
    [police] Heddlu
    [mental_health] Iechyd meddwl
    [substance_use_service] Gwasanaeth camddefnyddio sylweddau
    [social_care] Gofal cymdeithasol
    [marac] MARAC
    [idva] IDVA
    [job_centre] Canolfan Byd Gwaith
    [solicitor] Cyfreithiwr
    [refuge] Lloches
   *[other] Arall
}
term-appointment_outcome = { $value ->
    [attended] Wedi mynychu
    [did_not_attend] Heb fynychu
    [cancelled] Wedi'i ganslo
   *[rescheduled] Wedi'i aildrefnu
}
term-referral_status = { $value ->
    [made] Wedi'i wneud
    [accepted] Wedi'i dderbyn
    [declined] Wedi'i wrthod
   *[closed] Wedi'i gau
}
term-flag_kind = { $value ->
    [risk_from_others] Risg gan eraill
    [risk_to_self] Risg i'r hunan
    [risk_to_others] Risg i eraill
    [children_at_risk] Plant mewn perygl
    [stalking] Stelcian
    [no_phone_contact] Dim cysylltu dros y ffôn
    [refuge_address] Cyfeiriad lloches
    [exploitation] Camfanteisio
    [honour_based_abuse] Cam-drin ar sail anrhydedd
    [forced_marriage] Priodas dan orfod
    [modern_slavery] Caethwasiaeth fodern
   *[other] Arall
}
term-incident_kind = { $value ->
    [physical] Corfforol
    [sexual] Rhywiol
    [coercive_control] Rheolaeth drwy orfodaeth
    [threats] Bygythiadau
    [stalking_harassment] Stelcian neu aflonyddu
    [economic] Economaidd
    [damage_to_property] Difrod i eiddo
    [breach_of_order] Torri gorchymyn
   *[other] Arall
}
term-relation = { $value ->
    [child] Plentyn
    [household_member] Aelod o'r aelwyd
   *[other_party] Y parti arall
}
term-help_kind = { $value ->
    [information] Gwybodaeth
    [food] Bwyd
    [clothing] Dillad
    [hygiene] Hylendid
    [harm_reduction] Lleihau niwed
    [signposting] Cyfeirio
    [emotional_support] Cymorth emosiynol
   *[other] Arall
}
term-condition_kind = { $value ->
    [no_further_offence] Dim trosedd bellach
    [restorative] Adferol
    [apology] Ymddiheuriad
    [compensation] Iawndal
    [pathway] Llwybr
   *[unpaid_hours] Oriau di-dâl
}
term-sign_off_subject = { $value ->
    [risk_assessment] Asesiad risg
    [marac_decision] Penderfyniad MARAC
   *[closure] Cau
}

## Adrannau achos: cynllun cymorth

plan-title = Cynllun cymorth
plan-no-goals = Dim nodau eto.
plan-add-goal-title = Ychwanegu nod
field-need-area = Maes angen
field-goal = Nod
field-review-on = Adolygu ar
plan-add-goal = Ychwanegu'r nod
goal-rating-problem = rhowch rif o 1 i 10
goal-heading = { $area } — { $goal }
goal-status-review = { $status } · adolygu { $date }
goal-action = { $action } ({ $owner })
goal-action-due = { $action } ({ $owner }, erbyn { $date })
goal-action-done = wedi'i wneud { $date }
goal-mark-done = Nodi ei fod wedi'i wneud
form-rate-progress = Sgorio'r cynnydd
field-rating = Sgôr cynnydd (1–10)
field-comment = Sylw
goal-record-rating = Cofnodi'r sgôr
form-add-action = Ychwanegu cam gweithredu
field-action = Cam gweithredu
field-action-owner = Pwy (chi os yw'n wag)
field-due = Erbyn
goal-add-action = Ychwanegu'r cam
form-status-review = Statws ac adolygu
field-status = Statws
goal-update = Diweddaru'r nod
chart-no-ratings = Dim sgoriau eto.
chart-label = Sgoriau dros amser: { $ratings }
chart-caption = Sgoriau (1–10): { $ratings }
term-goal_status = { $value ->
    [active] Ar waith
    [achieved] Wedi'i gyflawni
   *[dropped] Wedi'i roi heibio
}

## Apwyntiadau

appts-title = Apwyntiadau
appts-none = Dim apwyntiadau.
appts-add-title = Ychwanegu apwyntiad
field-starts = Yn dechrau
field-length = Hyd (munudau)
field-with-service = Gyda pha wasanaeth
field-where = Ble
field-with-whom = Gyda phwy
field-reminder = Fy atgoffa (munudau cyn)
    .hint = Dim ond yr amser y mae'r nodyn atgoffa yn ei ddangos, byth enw.
appts-add = Ychwanegu'r apwyntiad
appt-starts-problem = rhowch ddyddiad ac amser
appt-at = yn { $place }
appt-with = gyda { $whom }
outcome-shown = Canlyniad: { $outcome }
form-record-outcome = Cofnodi'r canlyniad
field-outcome = Canlyniad
field-outcome-note = Nodyn am y canlyniad
appt-record-outcome = Cofnodi canlyniad

## Asesiadau a'r hyn y maent yn ei awgrymu

assess-title = Asesiadau
assessment-done = { $template } — sgôr { $score }, { $level }
marac-form-write = Ysgrifennu ffurflen atgyfeirio MARAC
marac-form-hint = Wedi'i llenwi o atebion yr asesiad hwn a'r achos. Mae'r ffeil yn gadael y storfa wedi'i hamgryptio: anfonwch hi drwy lwybr diogel eich MARAC, yna dilëwch hi.
marac-form-written = Wedi'i hysgrifennu i { $path }
prompt-group = Cam a awgrymwyd
prompt-decision = Penderfyniad: { $decision }
field-because = Pam ddim nawr (os nad ydych yn atgyfeirio)
choose-reason = Dewiswch reswm
field-reason-words = Y rheswm mewn geiriau (ei angen ar gyfer "arall")
prompt-make = Gwneud yr atgyfeiriad { $agency }
prompt-not-now = Ddim nawr (rhowch reswm)
term-decision_kind = { $value ->
    [made] Atgyfeiriwyd
   *[declined] Ddim nawr
}
term-decline_reason = { $value ->
    [no_consent] Dim caniatâd
    [already_referred] Wedi'i atgyfeirio eisoes
    [risk_reduced] Mae'r risg wedi lleihau
    [out_of_area] Y tu allan i'r ardal
   *[other] Arall
}
assessment-new = Newydd: { $name }
live-score = Sgôr { $score } — { $label }
live-unanswered = ({ $count } cwestiwn heb eu hateb eto)
live-prompts = Mae'r sgôr hon yn awgrymu: { $prompt }
answer-yes = Ie
answer-no = Na
answer-not-known = Ddim yn gwybod
choose = Dewiswch…
assessment-unanswered = Nid oes ateb eto i rai cwestiynau (wedi'u nodi uchod).
assessment-save = Cadw'r asesiad

## Atgyfeiriadau a baneri

refs-title = Atgyfeiriadau
refs-none = Dim atgyfeiriadau.
referral-line = { $agency } — { $reason } ({ $status }, gwnaed { $date })
referral-repeat = · MARAC eto (o fewn 12 mis i'r un diwethaf)
form-referral-outcome = Canlyniad yr atgyfeiriad
referral-save-outcome = Cadw'r canlyniad
referral-close = Cau'r atgyfeiriad
refs-make-title = Gwneud atgyfeiriad
field-referral-to = At
field-reason = Rheswm
refs-make = Atgyfeirio
field-referral-consent = Dan y caniatâd
consent-none-named = Dim un wedi'i enwi
referral-consent = Caniatâd: { $topic }
flags-title = Baneri diogelu
flags-none = Dim baneri.
flag-line = { $kind } (codwyd { $date })
flag-line-detail = { $kind }: { $detail } (codwyd { $date })
flag-resolved = — datryswyd { $date }
flag-resolve = Datrys
form-raise-flag = Codi baner
field-flag = Baner
field-detail = Manylion
flags-raise = Codi'r faner

## Atodiadau

att-title = Atodiadau
att-none = Dim atodiadau.
att-line = — { $type }, { $size } · ychwanegwyd { $date }
att-cannot-show = Ni ellir dangos { $name } ({ $size }) yn Waymark. Caiff ei chadw wedi'i hamgryptio yma; ni chaiff byth ei hysgrifennu i ffeil dros dro.
close = Cau
form-add-attachment = Ychwanegu atodiad
field-attachment = Ffeil (hyd at 10 MiB)
att-add = Ychwanegu'r atodiad
att-choose-first = dewiswch ffeil yn gyntaf
att-unreadable = nid oedd modd darllen y ffeil
size-mib = { $size } MiB
size-kib = { $size } KiB
size-bytes = { $size } beit

## Digwyddiadau

incidents-title = Digwyddiadau
incidents-none = Dim digwyddiadau wedi'u cofnodi.
incident-police = galwyd yr heddlu
incident-injuries = anafiadau
incident-children = plant yn bresennol
form-record-incident = Cofnodi digwyddiad
field-occurred-on = Pryd y digwyddodd
field-what-happened = Beth ddigwyddodd
check-police = Galwyd yr heddlu
check-injuries = Anafiadau
check-children = Plant yn bresennol
field-detail-short = Manylion (yn fyr)
incident-record = Cofnodi'r digwyddiad
incident-day-problem = dywedwch ar ba ddiwrnod y digwyddodd

## Pwy sy'n dal achos

access-title = Pwy sy'n dal yr achos hwn
access-allocated = Wedi'i neilltuo i { $user }, gwirfoddolwr. Bydd eu gliniadur yn cael sut i gysylltu â'r person yn ddiogel a'r apwyntiadau unwaith y bydd eich un chi wedi cysoni.
access-shared = Wedi'i rannu gyda { $user }. Bydd eu gliniadur yn cael yr achos unwaith y bydd eich un chi wedi cysoni.
access-unshared = Nid yw wedi'i rannu gyda { $user } mwyach. Bydd eu gliniadur yn gollwng yr achos y tro nesaf y bydd yn cysoni.
access-reassigned = { $user } yw'r gweithiwr allweddol nawr. Cysonwch i'w anfon; bydd y gweithiwr allweddol blaenorol yn gollwng yr achos y tro nesaf y bydd yn cysoni.
access-keyworker = Gweithiwr allweddol
access-team = Tîm (mae ei oruchwylwyr yn dal yr achos)
access-shared-with = Wedi'i rannu gyda
access-no-one = Neb
access-volunteer-note = (gwirfoddolwr: y nodyn cyswllt, yr apwyntiadau a'u nodiadau eu hunain yn unig)
access-stop-sharing = Peidio â rhannu gyda { $user }
form-share = Rhannu'r achos
field-share-with = Rhannu â chydweithiwr (eu henw defnyddiwr)
    .hint = Cydweithiwr neu weithiwr sy'n cyflenwi: bydd eu gliniadur yn cael yr achos y tro nesaf y bydd yn cysoni. Dim ond sut i gysylltu â'r person yn ddiogel, yr apwyntiadau a'r nodiadau y mae'n eu hysgrifennu y mae gwirfoddolwr yn eu cael.
access-share = Rhannu
form-reassign = Rhoi'r achos i weithiwr allweddol arall
field-new-keyworker = Rhoi'r achos i weithiwr allweddol arall (eu henw defnyddiwr)
    .hint = Mae'r gweithiwr allweddol a phwy sy'n dal yr achos yn newid gyda'i gilydd; mae'r gweithiwr allweddol blaenorol yn ei golli oni bai ei fod wedi'i rannu â nhw.
access-reassign = Ailneilltuo

## Cynllun diogelwch a MARAC

safety-title = Cynllun diogelwch
safety-none = Dim cynllun diogelwch eto.
safety-safe-places = Lleoedd diogel i fynd iddynt
safety-trusted-people = Pobl y gellir ymddiried ynddynt i'w ffonio
safety-code-words = Geiriau cod a beth mae pob un yn ei olygu
safety-escape-bag = Bag dianc: beth sydd ynddo, ble mae'n cael ei gadw
safety-tech = Diogelwch technoleg: ffonau, cyfrifon, rhannu lleoliad
safety-children = Trefniadau ar gyfer plant
field-review-by = Adolygu erbyn
safety-save = Cadw'r cynllun diogelwch
marac-title = Cyfarfodydd MARAC
marac-none = Dim cyfarfod MARAC wedi'i gofnodi.
marac-meeting = Cyfarfod ar { $date }
marac-no-outcome = canlyniad heb ei gofnodi eto
marac-action-line = { $action } — { $agency } ({ $owner }), erbyn { $date }
marac-done-button = Wedi'i wneud: { $action }
form-marac-meeting = Cofnodi cyfarfod MARAC
field-meeting-on = Diwrnod y cyfarfod
field-decided = Beth a benderfynwyd (gellir ei ychwanegu wedyn)
marac-record-meeting = Cofnodi'r cyfarfod
form-marac-action = Cofnodi cam a gytunwyd yn y cyfarfod diwethaf
field-agency = Asiantaeth
field-owner = Pwy sy'n gyfrifol
field-what-to-do = Beth sydd i'w wneud
field-by-when = Erbyn pryd
marac-add-action = Ychwanegu'r cam
marac-day-problem = dywedwch ar ba ddiwrnod y cyfarfu
marac-meeting-first = cofnodwch y cyfarfod yn gyntaf
marac-due-problem = dywedwch erbyn pryd

## Cyfnod achos: achos newydd, camau, cyfnod arall, cau, dileu

new-case-title = Achos newydd
field-referred-by = Wedi'i atgyfeirio gan
field-programme = Rhaglen
new-case-open = Agor yr achos
cancel = Canslo
must-not-be-empty = rhaid iddo beidio â bod yn wag
stage-record-open = Cofnodi cam…
form-stage = Cofnodi cam
field-moved-to = Wedi symud i
field-on = Ar
stage-record = Ei gofnodi
episode-open-more = Agor cyfnod newydd…
form-episode = Agor cyfnod newydd
field-keyworker-or-you = Gweithiwr allweddol (chi os yw'n wag)
field-opened-on = Agorwyd ar
field-route = Llwybr gwaredu (dargyfeirio yn unig)
route-none = Dim (nid dargyfeirio)
episode-open = Agor y cyfnod
case-closed-on = Caewyd ar { $date }
close-case-more = Cau'r achos…
close-case = Cau'r achos
field-closed-on = Caewyd ar
field-closing-reason = Y rheswm dros gau
erase-more = Dileu am byth…
form-erase = Dileu'r achos am byth
erase-hint = Mae'n dileu'r achos hwn o'r gweinydd ac o bob dyfais y tro nesaf y bydd yn cysoni, gyda'i allweddi: ni ellir ei ddarllen eto yn unman. Ni ellir dadwneud hyn. Efallai y bydd angen i ail oruchwyliwr neu weinyddwr gadarnhau, neu aros am ychydig yn gyntaf, yn ôl rheol eich sefydliad. Cedwir y rheswm wedi'i selio i allwedd adfer y sefydliad.
field-erase-reason = Y rheswm dros ddileu (peidiwch ag enwi neb)
erase-confirm = Dileu'r achos hwn am byth
erase-second-person = Gofynnwyd am ddileu. Rhaid i oruchwyliwr neu weinyddwr arall ei gadarnhau yn yr un ffordd, ar eu gliniadur eu hunain, erbyn { $when }; tan hynny mae'r achos yn aros.
erase-grace = Caiff yr achos hwn ei ddileu am { $when }, oni bai bod y dileu yn cael ei ganslo cyn hynny.
erase-cancelled = Mae'r dileu wedi'i ganslo.
erase-cancel = Canslo'r dileu
term-stage = { $value ->
    [referred] wedi'i atgyfeirio
    [engaged] yn cymryd rhan
    [completed] wedi cwblhau
    [disengaged] wedi rhoi'r gorau i gymryd rhan
    [declined] wedi gwrthod
    [deselected] wedi'i dynnu o'r rhaglen
    [breached] wedi torri'r amodau
   *[returned_to_court] wedi'i ddychwelyd i'r llys
}
term-episode_status = { $value ->
    [open] ar agor
   *[closed] ar gau
}
term-disposal_route = { $value ->
    [conditional_caution] Rhybudd amodol
    [community_resolution] Datrysiad cymunedol
    [deferred_prosecution] Erlyniad gohiriedig
   *[voluntary] Gwirfoddol
}

## Llinell amser achos: beth mae pob cofnod yn ei gofnodi

timeline-note = Nodyn: { $contact }
timeline-note-amended = Nodyn: { $contact } (wedi'i ddiwygio)
timeline-appointment = Apwyntiad: { $agency }
timeline-appointment-outcome = Apwyntiad: { $agency } ({ $outcome })
timeline-attended = Wedi mynychu grŵp: { $title }
timeline-not-attended = Heb fynychu grŵp: { $title }
timeline-assessment = Asesiad { $template }: sgôr { $score }, { $level }
timeline-referral = Atgyfeiriad at { $agency } ({ $status })
timeline-goal = Nod ({ $area })
timeline-rating = Sgôr canlyniad { $rating }/10
timeline-flag-raised = Baner wedi'i chodi: { $kind }
timeline-flag-resolved = Baner wedi'i datrys: { $kind }
timeline-episode-opened = Cyfnod wedi'i agor: { $programme }
timeline-episode-closed = Cyfnod wedi'i gau: { $programme }
timeline-attachment = Atodiad: { $name }

## Manylion a chaniatâd person

person-legend = Y person
field-full-name = Enw llawn
field-preferred-name = Enw dewisol
field-pronouns = Rhagenwau
field-date-of-birth = Dyddiad geni
field-phone = Ffôn
field-email = E-bost
field-address = Cyfeiriad
    .restricted = Nid yw cyfeiriad cyfyngedig yn cael ei ddangos yma: gadewch hwn yn wag i'w gadw, neu teipiwch gyfeiriad newydd yn ei le.
field-address-restricted = Cyfeiriad cyfyngedig (lloches, neu gyfrinachol): wedi'i guddio; cofnodir pob tro y caiff ei ddatgelu
field-calls-safe = Yn ddiogel i ffonio?
field-texts-safe = Yn ddiogel i anfon neges destun?
field-voicemail-safe = Yn ddiogel i adael neges lais?
field-safe-times = Amseroedd diogel
field-code-word = Gair cod
field-instructions = Cyfarwyddiadau cyswllt diogel
needs-none = Anghenion: dim wedi'u cofnodi.
needs-now = Anghenion: { $needs }.
person-edit = Golygu'r manylion
needs-legend = Anghenion
need-since = { $need } (ers { $date })
need-since-label = { $need }: yn hysbys ers
need-since-short = ers
person-save = Cadw'r manylion
saved = Wedi'i gadw.
consents-title = Caniatâd a rhannu gwybodaeth
consents-none = Dim penderfyniadau wedi'u cofnodi eto.
term-consent = { $value ->
    [agreed] Cytunodd
   *[refused] Gwrthododd
}
consent-line = { $topic } — { $date }
consent-record-title = Cofnodi penderfyniad
field-consent-topic = Am beth mae'n sôn
    .hint = Er enghraifft: rhannu ei manylion â'i meddyg teulu
field-consent-decision = Ei phenderfyniad
field-decided-on = Penderfynwyd ar
field-consent-note = Gyda phwy, ac unrhyw beth arall
consent-record = Cofnodi'r penderfyniad
sar-title = Allforio ar gyfer cais gwrthrych am wybodaeth
sar-warning = Mae'r allforio yn un ffeil y gall y person ei darllen: crynodeb, eu cofnod cyfan a'r ffeiliau sydd ar y gliniadur hwn. Mae'n gadael y storfa wedi'i hamgryptio ac nid yw wedi'i amgryptio: rhowch hi iddynt drwy lwybr diogel, yna dilëwch hi o'r gliniadur hwn. Cofnodir pob tro y caiff ei gwneud.
sar-write = Ysgrifennu'r allforio
sar-writing = Yn ysgrifennu'r allforio… (gallwch barhau yn y cyfamser)

## Pobl sy'n gysylltiedig ag achos

linked-title = Pobl gysylltiedig
linked-as = Yn gysylltiedig fel { $relation } i
linked-none = Nid oes neb yn gysylltiedig â'r achos hwn.
linked-known = yn hysbys i'r gwasanaethau plant: { $answer ->
    [yes] ydyn
   *[no] nac ydyn
}
linked-lives = yn byw: { $where }
linked-hide = Cuddio
linked-reveal = Datgelu (cofnodir)
    .title = Cofnodir eu dangos yn y trywydd archwilio
linked-own-case = Eu hachos eu hunain
linked-open-case = Agor achos ar gyfer { $name }
form-linked-open = Agor achos ar gyfer person cysylltiedig
linked-open = Agor eu hachos
form-link = Cysylltu rhywun â'r achos hwn
field-relation = Pwy ydyn nhw
field-name = Enw
field-lives = Ble maen nhw'n byw (i blentyn: gyda phwy)
field-known-childrens = Yn hysbys i'r gwasanaethau plant?
field-linked-details = Manylion
    .hint = Mae enw a manylion y parti arall yn aros yn gudd ar y sgrin nes bod rhywun yn eu datgelu, a chofnodir hynny; nid ydynt byth yn allforio'r achos.
linked-add = Eu cysylltu

## Goruchwylio

supervision-hint = Dim ond gweithiwr allweddol yr achos a goruchwylwyr ei dîm sy'n cael y nodiadau hyn: nid cydweithiwr y mae wedi'i rannu ag ef, rheolwr na gweinyddwr.
supervision-none = Dim nodiadau goruchwylio ar yr achos hwn.
supervision-on = Goruchwyliaeth ar { $date } gyda { $who }
supervision-discussed = Trafodwyd: { $text }
supervision-decided = Penderfynwyd: { $text }
supervision-action = { $action } — { $owner }, erbyn { $date }
supervision-done = gwnaed ar { $date } gan { $who }
supervision-mark-done = Wedi'i wneud
form-supervision = Ysgrifennu nodyn goruchwylio
field-held-on = Diwrnod y goruchwylio (heddiw os yw'n wag)
field-discussion = Beth a drafodwyd
field-decision = Beth a benderfynwyd
supervision-actions = Camau a gytunwyd
field-sup-action = Cam { $n }
field-sup-owner = Pwy sy'n gwneud cam { $n }
field-sup-due = Cam { $n } erbyn
supervision-save = Cadw'r nodyn goruchwylio

## Y tîm

team-intro = Achosion agored pob gweithiwr allweddol a'r hyn sy'n hwyr, dros yr achosion sydd ar y gliniadur hwn (cysonwyd { $synced }).
team-intro-never = Achosion agored pob gweithiwr allweddol a'r hyn sy'n hwyr, dros yr achosion sydd ar y gliniadur hwn (heb gysoni eto).
team-none = Dim achosion ar y gliniadur hwn eto.
team-caption = Achosion pob gweithiwr allweddol
team-open = Achosion agored
team-high-risk = Risg uchel
team-reviews = Adolygiadau hwyr
team-follow-ups = Dilyniannau hwyr
team-conditions = Amodau hwyr neu a fethwyd
team-prompts = Awgrymiadau atgyfeirio heb benderfyniad
team-sign-offs = Cymeradwyaethau yn aros
team-no-contact = Dim cyswllt ers { $days } diwrnod

## Y sgrin gysoni

sync-time-unknown = amser heb ei wybod
sync-side-here = y gliniadur hwn, { $when }
sync-side-by = { $by } (dyfais { $device }), { $when }
sync-side-device = dyfais { $device }, { $when }
sync-server = Gweinydd: { $server }
sync-syncing = Yn cysoni…
sync-now = Cysoni nawr
sync-connect-title = Cysylltu â gweinydd eich sefydliad
field-your-passphrase = Eich cyfrinymadrodd
sync-connect = Cysylltu
sync-conflicts-title = Gwrthdaro i'w adolygu
sync-conflicts-none = Dim: mae pob newid yn cytuno.
sync-organisation = Sefydliad
sync-shown-now = Yn cael ei ddangos nawr
sync-keep-this = Cadw hwn
sync-other-edit = Y golygiad arall
sync-keep-other = Cadw hwn yn lle hynny
sync-empty = (gwag)
sync-set-aside-title = Heb eu hanfon: achosion a gymerwyd oddi arnoch
sync-set-aside = Fe ysgrifennoch y rhain mewn achosion a gymerwyd oddi arnoch fwy na 30 diwrnod cyn i'r gliniadur hwn allu eu hanfon, felly nid yw'r gweinydd yn eu derbyn mwyach. Fe'u cedwir yma, ar y gliniadur hwn yn unig: rhowch nhw i weithiwr allweddol yr achos mewn ffordd arall.
sync-set-aside-at = (wedi'i roi o'r neilltu { $date })
sync-refused-title = Newidiadau a wrthodwyd
sync-refused-none = Dim: llwyddodd pob newid a gyrhaeddodd y gliniadur hwn yn ei wiriadau.
sync-refused-intro = Cyrhaeddodd y newidiadau hyn y gliniadur hwn ond roedd rhywun wedi ymyrryd â nhw neu roeddent yn torri rheol, felly ni chawsant eu cymhwyso. Cedwir pob un fel y daeth: dywedwch wrth eich gweinyddwr.
sync-change-id = (newid { $id })
sync-recipients-title = Derbynwyr a wrthodwyd
sync-recipients = Gofynnodd y gweinydd i'r gliniadur hwn drosglwyddo allweddi achos i'r allweddi hyn, ond nid oes gweinyddwr wedi cadarnhau pwy sydd biau nhw, felly ni throsglwyddwyd dim. Os yw cydweithiwr yn aros i weinyddwr eu cadarnhau, bydd hyn yn clirio unwaith y byddant wedi'u cadarnhau; fel arall dywedwch wrth eich gweinyddwr.
sync-key-id = (allwedd { $key })
sync-keys-title = Allweddi achos a gadwyd o'r neilltu
sync-keys = Cyrhaeddodd yr allweddi achos hyn y gliniadur hwn heb lofnod cydweithiwr a gadarnhawyd gan weinyddwr, felly ni chawsant eu hagor ac mae'r achosion yn aros o dan yr allweddi oedd ganddynt. Os yw cydweithiwr yn aros i weinyddwr eu cadarnhau, cymerir eu hallweddi unwaith y byddant wedi'u cadarnhau; fel arall dywedwch wrth eich gweinyddwr.
sync-case-key = (achos { $case }, allwedd { $epoch })

## Grwpiau ac allgymorth

not-a-whole-number = nid yw “{ $text }” yn rhif cyfan
groups-title = Grwpiau ac allgymorth
groups-sessions = Sesiynau grŵp
groups-none = Dim sesiynau grŵp ar y gliniadur hwn eto.
form-group-session = Cofnodi sesiwn grŵp
field-title = Teitl
field-programme-if-any = Rhaglen (os oes un)
field-place = Lle
field-day-it-met = Y diwrnod y cyfarfu
field-facilitators = Hwyluswyr
field-group-note = Nodyn am y grŵp
    .hint = Am y grŵp, nid am berson: ni chaiff byth ei gopïo i achos neb.
groups-record = Cofnodi'r sesiwn
tallies-title = Cyfrifon allgymorth
tallies-hint = Cyfrif o gysylltiadau â phobl heb achos: ble, faint, pa help. Peidiwch ag enwi neb.
tallies-none = Dim cyfrifon yn y 30 diwrnod diwethaf.
tally-contacts = { $count ->
    [one] { $count } cyswllt
   *[other] { $count } cyswllt
}
form-tally = Cofnodi cyfrif allgymorth
field-tally-day = Diwrnod (heddiw os yw'n wag)
field-site = Safle neu ardal
field-contacts = Cysylltiadau
tally-help = Help a roddwyd
field-tally-note = Ychydig eiriau (200 nod ar y mwyaf)
tally-record = Cofnodi'r cyfrif
register-title = { $title } ar { $date }
register-none = Neb ar y gofrestr eto.
register-came = daeth
register-not-came = ni ddaeth
register-mark-came = Nodi bod { $name } wedi dod
register-mark-not-came = Nodi nad yw { $name } wedi dod
form-register-find = Dod o hyd i rywun ar gyfer y gofrestr
field-register-name = Chwilio am berson yn ôl enw
register-find = Chwilio
register-came-button = Daeth { $name }

## Achosion gwirfoddolwr

allocated-hint = Y bobl a neilltuwyd i chi: sut i gysylltu â nhw yn ddiogel a'u hapwyntiad nesaf. Dim ond hyn sy'n cyrraedd eich gliniadur: gofynnwch i'w gweithiwr allweddol am unrhyw beth arall.
allocated-none = Nid oes neb wedi'i neilltuo i chi eto. Unwaith y bydd gweithiwr allweddol yn neilltuo rhywun, byddant yn ymddangos yma ar ôl y cysoni nesaf.
allocated-next = nesaf: { $when }
allocated-no-appointment = dim apwyntiad wedi'i drefnu
allocated-back = ← Eich achosion
allocated-brief = Sut i gysylltu â nhw yn ddiogel
allocated-notes = Eich nodiadau
allocated-no-notes = Nid ydych wedi ysgrifennu unrhyw nodiadau ar yr achos hwn.
field-in-touch = Sut y buoch mewn cysylltiad

## Adroddiadau (y sgrin; teitlau adroddiad yw rhai diffiniad yr adroddiad)

reports-all-programmes = Pob rhaglen
reports-all-teams = Pob tîm
reports-all-programmes-lower = pob rhaglen
reports-all-teams-lower = pob tîm
reports-team = tîm { $team }
reports-hint = Wedi'i gyfrifo ar y gliniadur hwn o'r achosion sydd arno. Dangosir cyfrifon o 1 i 4 fel <5, a chyfrif a fyddai'n datgelu rhywun fel *.
form-report = Cyfnod yr adroddiad
field-from = O
field-to = I
field-team = Tîm
working = Wrthi'n gweithio…
reports-run = Rhedeg yr adroddiad
reports-scope = { $from } i { $to }, { $programme }, { $team }, o'r { $cases } achos sydd ar y gliniadur hwn.
reports-behind = Yr achosion y tu ôl i { $figure }
reports-none = dim yn y cyfnod.
reports-total = Cyfanswm
reports-show-cases = { $table }: { $row }, { $column }: { $figure } — dangos yr achosion

## Gosodiadau i oruchwylwyr a gweinyddwyr

retention-title = Adolygiad cadw
field-closed-for = Achosion sydd wedi cau ers o leiaf (diwrnodau)
    .hint = Mae 2190 diwrnod yn chwe blynedd.
retention-list = Eu rhestru
retention-none = Nid oes unrhyw achos wedi cau ers cyhyd.
retention-closed = caewyd { $date } ({ $days } diwrnod)
templates-title = Templedi asesu
template-choose-first = dewiswch ffeil JSON y templed yn gyntaf
template-unreadable = nid oedd modd darllen y ffeil fel testun
template-line = { $name } — { $key } fersiwn { $version }
template-import-title = Mewnforio templed
field-template = Ffeil JSON y templed
template-import = Mewnforio
template-imported = Mewnforiwyd { $name }: bydd pob dyfais yn y sefydliad yn ei gael y tro nesaf y bydd yn cysoni.
devices-title = Dyfeisiau
devices-hint = Diddymwch liniadur sydd wedi'i golli neu ei ddwyn: mae'r gweinydd yn ei wrthod o hyn ymlaen, ac mae'n dileu ei storfa Waymark y tro nesaf y bydd yn cyrraedd y gweinydd.
devices-person = Defnyddiwr
devices-device = Dyfais
devices-phrase = Ymadrodd hunaniaeth
devices-confirmed = Wedi'i gadarnhau
devices-last-seen = Gwelwyd ddiwethaf
devices-access = Mynediad
devices-not-vouching = (nid yw'n gwarantu allwedd y ddyfais hon)
devices-no-phrase = dim wedi'i gofrestru
devices-confirmed-as = Wedi'i gadarnhau fel { $role }
devices-revoked = Wedi'i ddiddymu
devices-confirm-revoking = Cadarnhau diddymu
devices-revoke-this = Diddymu { $device } { $user }
devices-keep = Cadw
devices-revoke = Diddymu…
term-role = { $value ->
    [worker] gweithiwr
    [supervisor] goruchwyliwr
    [manager] rheolwr
    [admin] gweinyddwr
   *[volunteer] gwirfoddolwr
}
confirm-phrase = Yr ymadrodd y mae { $user } yn ei ddarllen o'u gliniadur
confirm-as-admin = Mae { $user } yn weinyddwr: gadewch iddynt gadarnhau pobl eraill
confirm-person = Cadarnhau { $user }
recovery-title = Allwedd adfer
recovery-made = Gwnaed allwedd adfer { $fingerprint }. Copïwch y testun isod ar bapur neu ar gof bach a gedwir all-lein: dim ond unwaith y caiff ei ddangos, a dim ond hi all adfer mynediad rhywun pan na all dyfais unrhyw gydweithiwr.
recovery-text = Yr allwedd adfer
recovery-kept = Rwyf wedi'i chadw'n ddiogel: ei chuddio
recovery-hint = Fe'i gwneir unwaith ar gyfer y sefydliad. Caiff pob allwedd achos wedyn ei selio iddi hefyd, fel y gall gweinyddwr sy'n ei dal adfer mynediad person ar ôl colli gliniadur neu anghofio cyfrinymadrodd.
recovery-make = Gwneud yr allwedd adfer
restore-title = Adfer mynediad person
restore-done = Ail-seliwyd { $count } allwedd achos ar gyfer { $who }: bydd eu gliniadur yn darllen eu hachosion y tro nesaf y bydd yn cysoni.
field-restore-person = Eu henw defnyddiwr ar y gweinydd
field-recovery-key = Yr allwedd adfer (gludwch y cyfan)
restore-access = Adfer mynediad

not-a-date = nid yw'n ddyddiad

case-address-masked = •••• cyfeiriad cyfyngedig ••••

## Beth yw cofnod (gwrthdaro, newid a roddwyd o'r neilltu)
term-record_kind = { $value ->
    [person] Unigolyn
    [episode] Cyfnod
    [stage_move] Cam
    [condition] Amod
    [follow_up] Dilyniant
    [status_record] Cofnod statws
    [area_rating] Sgôr maes
    [support_given] Cymorth a roddwyd
    [incident] Digwyddiad
    [marac_meeting] Cyfarfod MARAC
    [marac_action] Cam MARAC
    [safety_plan] Cynllun diogelwch
    [sign_off] Cymeradwyaeth
    [group_session] Sesiwn grŵp
    [attendance] Presenoldeb
    [outreach_tally] Cyfrif allgymorth
    [linked_person] Person cysylltiedig
    [supervision_action_done] Cam goruchwylio wedi'i wneud
    [contact_brief] Nodyn cyswllt
    [supervision_note] Nodyn goruchwylio
    [feedback] Adborth
    [equality] Monitro cydraddoldeb
    [note] Nodyn
    [note_amendment] Diwygiad i nodyn
    [goal] Nod
    [plan_action] Cam cynllun
    [outcome_rating] Sgôr canlyniad
    [appointment] Apwyntiad
    [assessment_template] Templed asesu
    [programme] Rhaglen
    [assessment] Asesiad
    [referral] Atgyfeiriad
    [flag] Baner
   *[attachment] Atodiad
}

## Yr atgyfeiriad MARAC y mae galwad gan yr heddlu i ddigwyddiad yn ei awgrymu

escalation-prompt = Mae { $counted } galwad gan yr heddlu mewn { $months } mis yn bodloni'r maen prawf uwchgyfeirio ({ $threshold } neu fwy): atgyfeiriwch at MARAC, ac adolygwch yr asesiad risg a'r cynllun diogelwch.

## Rhaglenni (gweinyddwyr)

programmes-title = Rhaglenni
programmes-hint = Mae cyfnodau'n ymuno â rhaglen ac mae adroddiadau'n grwpio yn ôl rhaglen. Mae rhaglen a ychwanegir neu a ymddeolir yma yn cyrraedd pob dyfais yn y sefydliad y tro nesaf y bydd yn cysoni; nid yw rhaglen a ymddeolwyd yn derbyn cyfnodau newydd ac mae'n cadw ei ffigurau.
programmes-none = Dim rhaglenni eto: mae cyfnodau'n enwi eu rhaglen mewn geiriau nes yr ychwanegir un.
programme-weeks = { $weeks } wythnos wedi'u cynllunio
programme-areas = meysydd canlyniad: { $areas }
programme-follow-ups = dilyniannau ar ôl { $months } mis
programme-retired = wedi'i hymddeol
programme-retire = Ymddeol
programme-add-title = Ychwanegu rhaglen
field-programme-name = Enw
field-programme-kind = Pa fath o raglen
field-planned-weeks = Yr wythnosau y bwriedir i gyfnod bara (os yw wedi'i osod)
    .hint = Er enghraifft 16 ar gyfer contract erlyniad gohiriedig pedwar mis.
field-outcome-areas = Meysydd canlyniad, un ar bob llinell
    .hint = Y graddfeydd 1–10 a sgorir ar draws ei hachosion, fel bod y pellter a deithiwyd yn cymharu.
field-follow-up-months = Dilyniannau, misoedd ar ôl cau
    .hint = Er enghraifft: 6, 12
programme-add = Ychwanegu'r rhaglen
term-programme_kind = { $value ->
    [diversion] Dargyfeirio
    [womens_centre] Canolfan i fenywod
    [liaison_and_diversion] Cyswllt a dargyfeirio
    [iom] Rheoli troseddwyr yn integredig
    [domestic_abuse] Cam-drin domestig
    [outreach] Allgymorth
   *[other] Arall
}

## Yr adroddiad ar y sgrin: teitlau adrannau a thablau, mesurau, a geiriau ei
## resi a'i golofnau (dangosir yr hyn a enwodd pobl fel y mae).
term-equality_question = { $value ->
    [ethnicity] ethnigrwydd
    [sex] rhyw
    [gender_identity] hunaniaeth rhywedd
    [sexual_orientation] cyfeiriadedd rhywiol
    [disability] anabledd
    [religion] crefydd
    [care_experience] profiad o ofal
    [first_language] iaith gyntaf
   *[interpreter] cyfieithydd
}
report-section-equality = Cydraddoldeb: { $question }
report-table-equality-engaged = Wedi'u hatgyfeirio yn y cyfnod adrodd, yn cymryd rhan neu beidio, yn ôl { $question }
report-table-equality-endings = Sut y daeth cyfnodau i ben yn y cyfnod adrodd, yn ôl { $question }
report-table-equality-reoffending = Yr hyn a ganfu'r dilyniant 6 mis, yn ôl { $question }
report-table-equality-housed = Llety sefydlog yn y statws diweddaraf, yn ôl { $question }
report-measure-grants_total = Grantiau a thalebau a roddwyd, mewn punnoedd: { $shown }, n = { $n }
report-measure-satisfaction_mean = Boddhad cyfartalog (1 i 5): { $shown }, n = { $n }
report-measure-distance = { $area }: y pellter a deithiwyd (achosion a sgoriwyd ddwywaith neu fwy): { $shown }, n = { $n }
report-measure-change = { $change } (o { $from } i { $to })
report-measure-none = dim
report-measure-hidden = heb ei ddangos (llai na 5)
report-section-referrals = Atgyfeiriadau
report-table-referrals_by_source = Atgyfeiriadau yn ôl ffynhonnell
report-table-referrals_by_programme = Atgyfeiriadau yn ôl rhaglen
report-table-referrals_by_month = Atgyfeiriadau yn ôl mis
report-section-stages = Camau
report-table-stages_reached = Camau a gyrhaeddwyd erbyn diwedd y cyfnod adrodd (cyfnodau a atgyfeiriwyd ynddo)
report-table-engagement = Yn cymryd rhan, o'r rhai a atgyfeiriwyd yn y cyfnod adrodd
report-table-endings = Sut y daeth cyfnodau i ben yn y cyfnod adrodd
report-table-completion = Wedi cwblhau a wedi torri'r amodau, o'r cyfnodau a ddaeth i ben yn y cyfnod adrodd
report-section-conditions = Amodau
report-table-conditions = Amodau a oedd yn ddyledus yn y cyfnod adrodd, fel yr oeddent ar ei ddiwedd
report-section-reoffending = Aildroseddu
report-table-reoffending = Cyfnodau a gaewyd o leiaf 6 neu 12 mis cyn diwedd y cyfnod adrodd, yn ôl yr hyn a ganfu eu dilyniant
report-section-outcomes = Canlyniadau
report-table-status_changes = O'r statws cyntaf i'r diweddaraf (achosion â dau neu fwy)
report-table-status_latest_good = Canlyniad da yn y statws diweddaraf (e.e. llety sefydlog)
report-section-support = Cymorth ymarferol ac adborth
report-table-support_given = Cymorth ymarferol a roddwyd yn y cyfnod adrodd
report-table-satisfaction = Boddhad wrth gau (1 anhapus iawn, 5 hapus iawn)
report-section-domestic_abuse = Cam-drin domestig
report-table-risk_assessments = Asesiadau risg a gwblhawyd yn y cyfnod adrodd, yn ôl lefel
report-table-high_risk = Pobl y mae eu hasesiad risg diweddaraf erbyn diwedd y cyfnod adrodd ar y lefel uchaf
report-table-incidents = Digwyddiadau yn y cyfnod adrodd, yn ôl a alwyd yr heddlu
report-table-marac_prompts = Atgyfeiriadau MARAC a ysgogwyd yn y cyfnod adrodd (gan asesiad risg, neu gan alwadau'r heddlu sy'n bodloni'r maen prawf uwchgyfeirio): wedi'u gwneud, neu beidio a pham
report-table-marac_referrals = Atgyfeiriadau MARAC a wnaed yn y cyfnod adrodd, yn ôl beth a ddaeth ohonynt (fel y'u cofnodwyd nawr)
report-section-outreach = Allgymorth heb achos
report-table-outreach_by_site = Cysylltiadau allgymorth heb achos, yn ôl safle
report-table-outreach_by_help = Cysylltiadau allgymorth heb achos, yn ôl y cymorth a roddwyd
report-word-12-months = 12 mis
report-word-6-months = 6 mis
report-word-contacts = Cysylltiadau
report-word-accepted = Wedi'i dderbyn
report-word-accommodation = Llety
report-word-apology = Ymddiheuriad
report-word-asian-bangladeshi = Asiaidd: Bangladeshaidd
report-word-asian-chinese = Asiaidd: Tsieineaidd
report-word-asian-indian = Asiaidd: Indiaidd
report-word-asian-other = Asiaidd: arall
report-word-asian-pakistani = Asiaidd: Pacistanaidd
report-word-assessments = Asesiadau
report-word-at-the-highest-level = Ar y lefel uchaf
report-word-below-it = Islaw hynny
report-word-bisexual = Deurywiol
report-word-black-african = Du: Affricanaidd
report-word-black-caribbean = Du: Caribïaidd
report-word-black-other = Du: arall
report-word-breached = Wedi torri'r amodau
report-word-buddhist = Bwdhaidd
report-word-christian = Cristnogol
report-word-closed = Wedi'i gau
report-word-clothing = Dillad
report-word-compensation = Iawndal
report-word-completed = Wedi cwblhau
report-word-could-not-check = Methu gwirio
report-word-court = Llys
report-word-declined = Gwrthodwyd
report-word-deselected = Wedi'i dynnu o'r rhaglen
report-word-different = Gwahanol
report-word-disengaged = Wedi rhoi'r gorau i gymryd rhan
report-word-emotional-support = Cymorth emosiynol
report-word-employment-education-training = Cyflogaeth, addysg, hyfforddiant
report-word-ended-otherwise = Wedi dod i ben fel arall
report-word-engaged = Yn cymryd rhan
report-word-episodes = Cyfnodau
report-word-female = Benyw
report-word-finances = Arian
report-word-food = Bwyd
report-word-food-parcel = Parsel bwyd
report-word-further-offence = Trosedd bellach
report-word-gay-or-lesbian = Hoyw neu lesbiaidd
report-word-grant = Grant
report-word-harm-reduction = Lleihau niwed
report-word-health = Iechyd
report-word-hindu = Hindŵ
report-word-housing = Tai
report-word-hygiene = Hylendid
report-word-improved = Wedi gwella
report-word-incidents = Digwyddiadau
report-word-information = Gwybodaeth
report-word-jewish = Iddewig
report-word-liaison-and-diversion = Cyswllt a dargyfeirio
report-word-made = Wedi'i wneud
report-word-male = Gwryw
report-word-mental-health-support = Cymorth iechyd meddwl
report-word-met = Wedi'i fodloni
report-word-missed = Wedi'i fethu
report-word-mixed-other = Cymysg: arall
report-word-mixed-white-and-asian = Cymysg: Gwyn ac Asiaidd
report-word-mixed-white-and-black-african = Cymysg: Gwyn a Du Affricanaidd
report-word-mixed-white-and-black-caribbean = Cymysg: Gwyn a Du Caribïaidd
report-word-muslim = Mwslimaidd
report-word-no = Na
report-word-no-further-offence = Dim trosedd bellach
report-word-none = Dim
report-word-none-known = Dim yn hysbys
report-word-not-asked = Heb ofyn
report-word-not-engaged = Ddim yn cymryd rhan
report-word-not-made-already-referred = Heb ei wneud: wedi'i atgyfeirio eisoes
report-word-not-made-no-consent = Heb ei wneud: dim caniatâd
report-word-not-made-other = Heb ei wneud: arall
report-word-not-made-out-of-area = Heb ei wneud: y tu allan i'r ardal
report-word-not-made-reason-not-given = Heb ei wneud: dim rheswm wedi'i roi
report-word-not-made-risk-reduced = Heb ei wneud: mae'r risg wedi lleihau
report-word-not-recorded = Heb ei gofnodi
report-word-not-yet-decided = Heb benderfynu eto
report-word-other = Arall
report-word-other-any = Arall: unrhyw grŵp ethnig arall
report-word-other-arab = Arall: Arabaidd
report-word-others-fewer-than-5-each = Eraill, llai na 5 yr un
report-word-pathway = Llwybr
report-word-pending = Yn aros
report-word-people = Pobl
report-word-phone = Ffôn
report-word-police = Heddlu
report-word-police-called = Galwyd yr heddlu
report-word-police-not-called = Ni alwyd yr heddlu
report-word-prefer-not-to-say = Gwell gennyf beidio â dweud
report-word-probation = Prawf
report-word-prompts = Ysgogiadau
report-word-referrals = Atgyfeiriadau
report-word-referred = Wedi'i atgyfeirio
report-word-restorative = Adferol
report-word-returned-to-court = Wedi'i ddychwelyd i'r llys
report-word-same-as-registered-at-birth = Yr un fath â'r hyn a gofrestrwyd adeg geni
report-word-self = Hunangyfeirio
report-word-signposting = Cyfeirio
report-word-sikh = Sikh
report-word-social-care = Gofal cymdeithasol
report-word-straight = Heterorywiol
report-word-substance-use-treatment = Triniaeth defnyddio sylweddau
report-word-times-given = Nifer o weithiau
report-word-travel = Teithio
report-word-unchanged = Dim newid
report-word-unpaid-hours = Oriau di-dâl
report-word-varied = Wedi'i amrywio
report-word-voluntary-sector = Sector gwirfoddol
report-word-white-british = Gwyn: Prydeinig
report-word-white-gypsy-or-irish-traveller = Gwyn: Sipsi neu Deithiwr Gwyddelig
report-word-white-irish = Gwyn: Gwyddelig
report-word-white-other = Gwyn: arall
report-word-white-roma = Gwyn: Roma
report-word-worsened = Wedi gwaethygu
report-word-yes = Ie
report-word-yes-limited-a-little = Ydy, wedi'i gyfyngu ychydig
report-word-yes-limited-a-lot = Ydy, wedi'i gyfyngu'n fawr
reports-chart = { $title } (siart)
reports-distance-chart = Y pellter a deithiwyd, o'r sgôr gyfartalog gyntaf i'r ddiweddaraf (siart)

## Meysydd cofnod, fel y mae gwrthdaro neu newid a roddwyd o'r neilltu yn eu henwi.
term-record_field = { $value ->
    [accompany] Mynd gyda hi
    [action] Cam gweithredu
    [action_index] Rhif y cam gweithredu
    [actions] Camau gweithredu
    [added_at] Ychwanegwyd am
    [added_by] Ychwanegwyd gan
    [address] Cyfeiriad
    [address_restricted] Cyfeiriad cyfyngedig
    [agency] Asiantaeth
    [amended_at] Diwygiwyd am
    [amount_pence] Swm
    [answers] Atebion
    [area] Maes
    [assessment_id] Asesiad
    [attended] Yn bresennol
    [author] Awdur
    [body] Testun
    [care_experience] Profiad o ofal
    [case_id] Achos
    [checked_on] Gwiriwyd ar
    [child_arrangements] Trefniadau ar gyfer plant
    [children_present] Plant yn bresennol
    [closed_on] Caewyd ar
    [closure_reason] Rheswm dros gau
    [code_words] Geiriau cod
    [comment] Sylw
    [completed_at] Cwblhawyd am
    [completed_by] Cwblhawyd gan
    [consent_topic] Caniatâd
    [consents] Caniatâd
    [contact_type] Math o gyswllt
    [count] Nifer
    [counted_on] Cyfrifwyd ar
    [created_at] Crëwyd am
    [created_by] Crëwyd gan
    [date_of_birth] Dyddiad geni
    [decision] Penderfyniad
    [decisions] Penderfyniadau
    [definition] Diffiniad
    [description] Disgrifiad
    [detail] Manylion
    [details] Manylion
    [disability] Anabledd
    [discussion] Trafodaeth
    [done_at] Gwnaed am
    [done_by] Gwnaed gan
    [done_on] Gwnaed ar
    [due_on] Yn ddyledus ar
    [duration_minutes] Hyd mewn munudau
    [email] E-bost
    [ends_at] Yn gorffen am
    [episode_id] Cyfnod
    [escalation] Uwchgyfeirio
    [escape_bag] Bag dianc
    [ethnicity] Ethnigrwydd
    [facilitators] Hwyluswyr
    [file_name] Enw ffeil
    [first_language] Iaith gyntaf
    [follow_up_months] Misoedd dilyniant
    [full_name] Enw llawn
    [gender_identity] Hunaniaeth rhywedd
    [given_by] Rhoddwyd gan
    [given_on] Rhoddwyd ar
    [goal_id] Nod
    [held_on] Cynhaliwyd ar
    [help] Cymorth
    [injuries] Anafiadau
    [interpreter] Cyfieithydd
    [key] Allwedd
    [keyworker] Gweithiwr allweddol
    [kind] Math
    [known_to_childrens_services] Yn hysbys i'r gwasanaethau plant
    [level] Lefel
    [lives] Yn byw
    [location] Lleoliad
    [log_id] Cofnod
    [made_on] Gwnaed ar
    [media_type] Math o ffeil
    [meeting_id] Cyfarfod
    [meeting_on] Cyfarfod ar
    [months] Misoedd
    [moved_on] Symudwyd ar
    [name] Enw
    [need_area] Maes angen
    [needs] Anghenion
    [note] Nodyn
    [note_id] Nodyn
    [occurred_at] Digwyddodd am
    [occurred_on] Digwyddodd ar
    [offence] Trosedd
    [offence_on] Dyddiad y drosedd
    [opened_on] Agorwyd ar
    [outcome] Canlyniad
    [outcome_areas] Meysydd canlyniad
    [outcome_note] Nodyn canlyniad
    [own_case_id] Ei achos ei hun
    [owner] Perchennog
    [phone] Ffôn
    [place] Lle
    [planned_weeks] Wythnosau a gynlluniwyd
    [point] Pwynt
    [police_called] Galwyd yr heddlu
    [preferred_name] Enw dewisol
    [programme] Rhaglen
    [programme_id] Rhaglen
    [prompts] Ysgogiadau
    [pronouns] Rhagenwau
    [raised_at] Codwyd am
    [raised_by] Codwyd gan
    [rated_by] Sgoriwyd gan
    [rated_on] Sgoriwyd ar
    [rating] Sgôr
    [reason] Rheswm
    [recorded_at] Cofnodwyd am
    [recorded_by] Cofnodwyd gan
    [recorded_on] Cofnodwyd ar
    [referral_id] Atgyfeiriad
    [referral_source] Ffynhonnell yr atgyfeiriad
    [relation] Perthynas
    [religion] Crefydd
    [reminder_minutes] Nodyn atgoffa (munudau)
    [resolved_at] Datryswyd am
    [resolved_by] Datryswyd gan
    [result] Canlyniad
    [retired] Wedi'i hymddeol
    [review_on] Adolygu ar
    [route] Llwybr gwaredu
    [safe_contact] Cysylltu'n ddiogel
    [safe_places] Lleoedd diogel
    [satisfaction] Boddhad
    [score] Sgôr
    [session_id] Sesiwn
    [set_at] Gosodwyd am
    [sex] Rhyw
    [sexual_orientation] Cyfeiriadedd rhywiol
    [signed_at] Cymeradwywyd am
    [signed_by] Cymeradwywyd gan
    [site] Safle
    [size_bytes] Maint
    [stage] Cam
    [starts_at] Yn dechrau am
    [status] Statws
    [status_on] Statws ar
    [subject] Pwnc
    [subject_id] Pwnc
    [team] Tîm
    [tech_safety] Diogelwch technoleg
    [template_id] Templed
    [template_key] Templed
    [template_version] Fersiwn y templed
    [title] Teitl
    [trusted_people] Pobl y gellir ymddiried ynddynt
    [updated_at] Diweddarwyd am
    [updated_by] Diweddarwyd gan
    [value] Gwerth
    [with_whom] Gyda phwy
    [words] Geiriau
    [written_at] Ysgrifennwyd am
   *[written_by] Ysgrifennwyd gan
}

## Negeseuon y CLI i'r person wrth y derfynell (mae'r hyn y mae sgriptiau'n ei ddarllen yn aros fel y mae: ids, JSON)

cli-ask-passphrase = Cyfrinymadrodd
cli-ask-new-passphrase = Cyfrinymadrodd newydd
cli-ask-new-passphrase-again = Cyfrinymadrodd newydd eto
cli-ask-current-passphrase = Cyfrinymadrodd presennol
cli-ask-their-passphrase = Cyfrinymadrodd { $user }
cli-internal-error = gwall mewnol yn { $place }; cedwir y manylion yn ôl i ddiogelu data achosion
cli-cannot-write = methu ysgrifennu'r allbwn: { $error }
cli-store-created = crëwyd storfa Waymark { $user } ar y gliniadur hwn yn { $path }
cli-store-erased = mae storfa { $user } wedi'i dileu o'r gliniadur hwn
cli-passphrase-changed = newidiwyd y cyfrinymadrodd (mae allwedd newydd i'ch storfa; ac i'ch mewngofnodi hefyd, os yw wedi'i gysylltu â gweinydd)
cli-logged-in = wedi mewngofnodi i { $server } fel { $user } ({ $role }); y ddyfais hon yw { $device }
cli-joined = wedi ymuno â { $server } fel { $user } ({ $role }); mae eich storfa ar y gliniadur hwn yn { $path } a'r ddyfais hon yw { $device }
cli-conflict-resolved = datryswyd { $id }; mae'r dewis yn cysoni yn y cysoni nesaf
cli-recovery-key-made = gwnaed yr allwedd adfer { $fingerprint }; mae ei chyfrinach yn { $path } (dangosir hyn unwaith: cadwch hi all-lein)
cli-resealed = ail-seliwyd { $count } allwedd achos ar gyfer dyfeisiau { $user }
cli-erasure-cancelled = mae dileu achos { $case } wedi'i ganslo
cli-erased = dilëwyd achos { $case }
cli-erasure-second-person = gofynnwyd am ddileu achos { $case }: mae goruchwyliwr neu weinyddwr arall yn ei gadarnhau gyda `waymark erase-case { $case } --reason ...` erbyn { $when }, neu mae'r cais yn dod i ben
cli-erasure-grace = bydd achos { $case } yn cael ei ddileu am { $when } oni bai ei fod yn cael ei ganslo (`waymark erase-case { $case } --cancel`)
cli-shared = rhannwyd gyda { $user }: mae eu dyfeisiau'n ei dderbyn ar ôl i'r un hon gysoni
cli-shared-volunteer = rhannwyd gyda { $user }: mae eu dyfeisiau'n ei dderbyn ar ôl i'r un hon gysoni (gwirfoddolwr: briff cyswllt yr achos, apwyntiadau a'u nodiadau eu hunain yn unig)
cli-unshared = nid yw wedi'i rannu gyda { $user } mwyach: mae eu dyfeisiau'n ei ollwng yn eu cysoni nesaf; mae'r achos yn cael allwedd newydd yng nghysoni'r ddyfais hon
cli-reassigned = { $user } yw'r gweithiwr allweddol nawr: cysonwch i'w anfon; mae'r gweithiwr allweddol blaenorol yn gollwng yr achos yn eu cysoni nesaf
cli-marac-form-written = ysgrifennwyd ffurflen atgyfeirio MARAC i { $path } (mae y tu allan i'r storfa wedi'i hamgryptio: anfonwch hi'n ddiogel, yna dilëwch hi)
cli-identity-here = { $user } ar y ddyfais hon
cli-identity-phrase = ymadrodd olion bysedd: { $phrase }
cli-identity-confirmed = wedi'i gadarnhau gan weinyddwr fel { $role }
cli-identity-waiting = yn aros i weinyddwr gadarnhau: darllenwch yr ymadrodd hwn iddynt; nes iddynt ei gadarnhau, nid yw dyfeisiau cydweithwyr yn selio allweddi achos i chi
cli-confirmed = cadarnhawyd { $user } fel { $role } (hunaniaeth { $phrase }); mae dyfeisiau eu cydweithwyr yn selio allweddi achos iddynt o'u cysoni nesaf
cli-confirmed-in-team = cadarnhawyd { $user } fel { $role } yn nhîm { $team } (hunaniaeth { $phrase }); mae dyfeisiau eu cydweithwyr yn selio allweddi achos iddynt o'u cysoni nesaf
cli-synced = anfonwyd { $pushed } newid ({ $already } ar y gweinydd eisoes); tynnwyd { $pulled }, cymhwyswyd { $applied }
cli-synced-conflicts = { $new } gwrthdaro newydd; { $open } ar agor (gweler `waymark conflicts`)
cli-synced-held = cedwir { $count } newid o Waymark mwy newydd nes i'r ddyfais hon gael ei huwchraddio
cli-synced-withdrawn = gollyngwyd { $count } achos nad ydych yn eu dal mwyach (heb eu rhannu, neu wedi'u rhoi i weithiwr allweddol arall) o'r ddyfais hon
cli-synced-set-aside = ni anfonwyd { $count } newid a wnaethoch mewn achosion a gymerwyd oddi wrthych dros 30 diwrnod yn ôl: fe'u cedwir yma (waymark set-aside) i'w trosglwyddo
cli-synced-awaiting-key = mae { $count } newid yn aros am allwedd eu hachos: mae dyfais cydweithiwr sy'n ei dal yn ei selio ar gyfer yr un hon pan fydd yn cysoni nesaf
cli-synced-waiting = yn aros i weinyddwr gadarnhau eich hunaniaeth (mae waymark identity yn dangos yr ymadrodd i'w gymharu): tan hynny nid yw dyfeisiau cydweithwyr yn selio allweddi achos i chi
cli-synced-keys-refused = cadwyd { $count } allwedd achos o'r neilltu heb eu hagor: ni lofnododd unrhyw gydweithiwr a gadarnhawyd nhw (gweler `waymark refused`)
cli-synced-recipients-refused = gwrthodwyd { $recipients } derbynnydd a restrwyd gan y gweinydd, ac ni seliwyd iddynt, ac ni chadarnhawyd { $certificates } tystysgrif (gweler `waymark refused`)
cli-synced-refused = gwrthodwyd { $count } newid ac ni chawsant eu cymhwyso: wedi ymyrryd â nhw, neu'n torri rheol y mae'r ddyfais hon yn dal pob newid iddi (gweler `waymark refused`)
cli-synced-behind = mae'r gweinydd yn colli newidiadau { $count } achos (wedi'i adfer o gopi wrth gefn?)
cli-no-refused-changes = dim newidiadau wedi'u gwrthod
cli-no-refused-recipients = dim derbynwyr wedi'u gwrthod
cli-no-conflicts = dim gwrthdaro
cli-shared-with-no-one = wedi'i rannu gyda: neb
cli-none-allocated = Dim achosion wedi'u dyrannu yma.
cli-nothing-due = Does dim yn ddyledus.
cli-nothing-signed-off = Nid oes dim ar yr achos hwn wedi'i gymeradwyo eto.
cli-nothing-set-aside = Dim wedi'i neilltuo: anfonwyd pob newid a wnaethoch, neu mae'n aros i gael ei anfon.
cli-no-group-sessions = Dim sesiynau grŵp yma.
cli-no-one-registered = Neb ar gofrestr yr achosion a ddelir yma.
cli-no-tallies = Dim cyfrifon allgymorth yma yn y cyfnod hwnnw.
cli-no-one-linked = Nid oes neb wedi'i gysylltu â'r achos hwn.
cli-no-supervision-notes = Dim nodiadau goruchwylio ar yr achos hwn yma.
cli-no-marac-meeting = Dim cyfarfod MARAC wedi'i gofnodi.
cli-no-safety-plan = Dim cynllun diogelwch eto (gosodwch un: safety-plan CASE --review-on DATE --safe-places ...).
cli-none-closed-that-long = nid oes achos wedi bod ar gau cyhyd
cli-small-numbers = Dangosir cyfrifon o 1 i 4 fel <5; dangosir cyfrif a fyddai'n datgelu rhywun fel *.
cli-equality-recorded = Cofnodwyd monitro cydraddoldeb (yn yr adroddiadau yn unig; mae `--json` yn ei ddangos)
