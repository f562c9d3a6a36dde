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
