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
case-keyworker = gweithiwr allweddol { $keyworker }
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
