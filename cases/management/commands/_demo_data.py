"""The data tables of the demo (seed_demo.py, _demo_more.py): the centre's streets and people, the names the
households are drawn from, and the texts of the scenarios. Kept apart so the commands read as the procedure.

Django treats only modules without a leading underscore as commands, so this one is never run by itself.
"""

from cases.models import TargetGroup
from mopr.models import Role

# fmt: off
# The streets are those of streets/sample/ULIC_sample.csv (TERYT ULIC), imported by the demo's system
# administrator; each named here is served whole by its region, SPLIT_STREETS in parts.
REGIONS = [  # code, area, streets
    ("RPŚ-1", "Stare Miasto, Nowe Miasto, Jakubskie Przedmieście",
     "Szeroka, Żeglarska, Mostowa, Łazienna, Rabiańska, Piekary, Podmurna, Prosta, Ślusarska, Strumykowa, "
     "Kopernika, Rynek Nowomiejski, Królowej Jadwigi, Wola Zamkowa, Jęczmienna"),
    ("RPŚ-2", "Chełmińskie Przedmieście, Bydgoskie Przedmieście, Mokre",
     "Grudziądzka, Legionów, Kościuszki, Matejki, Sienkiewicza, Mickiewicza, Słowackiego, Bema, Łokietka, "
     "Wybickiego, Moniuszki, Świętopełka, Dąbrowskiego, Czerwona Droga, Bydgoska"),
    ("RPŚ-3", "Wrzosy, Koniuchy, Rubinkowo, Na Skarpie",
     "Rydygiera, Kasprowicza, Ugory, Szosa Okrężna, Żwirki i Wigury, Kociewska, "
     "Dziewulskiego, Buszczyńskich, Konstytucji 3 Maja, Lelewela, Heweliusza, Niesiołowskiego, Waryńskiego"),
]
GMINA = "0463011"  # Toruń, gmina miejska: WOJ 04, POW 63, GMI 01, RODZ_GMI 1
SPLIT_STREETS = [  # street, numbers (parity, from, to), region: a street two regions share
    ("Lubicka", ("odd", None, None), "RPŚ-1"),
    ("Lubicka", ("even", None, None), "RPŚ-3"),
    ("Szosa Chełmińska", ("all", 1, 99), "RPŚ-2"),
    ("Szosa Chełmińska", ("all", 100, None), "RPŚ-3"),
]
SW, CO = Role.SOCIAL_WORKER, Role.COORDINATOR
USERS = [  # login, first name, last name, title, roles with their region (None: the whole institution)
    ("pracownik1", "Łucja", "Żółkiewska", "starszy pracownik socjalny", [(SW, "RPŚ-1")]),
    ("pracownik2", "Tomasz", "Brzeziński", "pracownik socjalny", [(SW, "RPŚ-1")]),
    ("pracownik3", "Agnieszka", "Ślęzak", "specjalista pracy socjalnej", [(SW, "RPŚ-2")]),
    ("pracownik4", "Grzegorz", "Brzęczyszczykiewicz", "pracownik socjalny", [(SW, "RPŚ-2")]),
    ("pracownik5", "Marta", "Gąsiorowska", "starszy pracownik socjalny", [(SW, "RPŚ-3")]),
    ("pracownik6", "Paweł", "Kaźmierczak", "pracownik socjalny", [(SW, "RPŚ-3")]),
    ("koordynator1", "Małgorzata", "Wróblewska", "koordynator RPŚ-1", [(CO, "RPŚ-1")]),
    ("koordynator2", "Dariusz", "Jędrzejczak", "koordynator RPŚ-2", [(CO, "RPŚ-2")]),
    ("koordynator3", "Bożena", "Szczepańska", "koordynator RPŚ-3", [(CO, "RPŚ-3")]),
    ("kierownik", "Jolanta", "Kaczmarek", "kierownik Działu Pomocy Środowiskowej", [(Role.HEAD_OF_DEPARTMENT, None)]),
    ("dyrektor", "Andrzej", "Mańkowski", "dyrektor MOPR", [(Role.DIRECTOR, None)]),
    ("audytor", "Ewa", "Gołębiowska", "kontroler wewnętrzny", [(Role.AUDITOR, None)]),
    ("asystent1", "Karolina", "Mączyńska", "asystent rodziny", [(Role.FAMILY_ASSISTANT, None)]),
    ("asystent2", "Bartłomiej", "Jędrzejewski", "asystent rodziny", [(Role.FAMILY_ASSISTANT, None)]),
    ("recepcja", "Renata", "Pietrzyk", "pracownik pierwszego kontaktu", [(Role.FIRST_CONTACT, None)]),
    ("swiadczenia", "Wiesław", "Kubacki", "inspektor ds. świadczeń", [(Role.BENEFITS_WORKER, None)]),
    ("administrator", "Krzysztof", "Nowicki", "administrator systemu", [(Role.SYSTEM_ADMIN, None)]),
]
FIRST_NAMES = {  # (generation, female): names
    ("old", True): "Stanisława Halina Krystyna Jadwiga Irena Danuta Teresa Wiesława Zofia Genowefa Czesława",
    ("old", False): "Kazimierz Stanisław Józef Zdzisław Mieczysław Władysław Henryk Ryszard Tadeusz Bolesław",
    ("mid", True): "Agnieszka Katarzyna Magdalena Joanna Monika Dorota Beata Justyna Paulina Ewelina Żaneta Sylwia",
    ("mid", False): "Grzegorz Piotr Krzysztof Tomasz Michał Łukasz Marcin Dariusz Sławomir Jarosław Mirosław Artur",
    ("young", True): "Zuzanna Julia Maja Zofia Hanna Lena Alicja Oliwia Natalia Wiktoria Łucja Amelia Pola",
    ("young", False): "Antoni Jan Aleksander Franciszek Szymon Jakub Filip Mikołaj Wojciech Kacper Igor Bartosz",
}
LAST_NAMES = (  # masculine forms; feminine() makes Kowalska of Kowalski
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski "
    "Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Król "
    "Wieczorek Jabłoński Wróbel Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak "
    "Górski Witkowski Walczak Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski "
    "Chrząszcz Gębicki Łęcki Żak Sobczak Czarnecki Kubiak Wilczyński Bączkowski Grzywacz Kęsicki Ciechanowski "
    "Kalinowski Żurawski Śliwiński Błaszczyk Dziedzic Frąckowiak Kołodziej Mrózek Pająk Sędzicki Wąsik Ziółkowski "
    "Laskowski Borkowski Czajkowski Szulc Kaczmarczyk Urbański Gajewski Wrzosek Marciniak Sadowski Bielecki "
    "Zając Kurek Jasiński Przybylski Cieślak Wawrzyniak Szczepaniak Domański Kuczyński Lis Makowski Szymczak"
)
GROUPS = {  # kind of household: target group, problem areas, what reports say, who reports from an institution
    "family": (TargetGroup.FAMILY_WITH_CHILDREN, ["care_upbringing", "poverty"], [
        "Sąsiadka zgłasza, że dzieci wieczorami zostają same w mieszkaniu, słychać płacz i krzyki.",
        "Rodzina prosi o pomoc: zaległości w czynszu, grozi wypowiedzenie najmu, brak pieniędzy na opał.",
        "Uczeń często opuszcza lekcje, przychodzi do szkoły głodny i za lekko ubrany.",
    ], ["Szkoła Podstawowa nr 5", "Przedszkole Miejskie nr 8", "Poradnia Psychologiczno-Pedagogiczna"]),
    "foster_family": (TargetGroup.FAMILY_WITH_CHILDREN, ["care_upbringing"], [
        "Sąd umieścił najmłodsze dziecko w rodzinie zastępczej; matka deklaruje chęć odzyskania opieki.",
        "Prośba o pracę z rodzicami dziecka przebywającego w rodzinie zastępczej (powrót dziecka do domu).",
    ], ["Sąd Rejonowy – kurator", "Organizator rodzinnej pieczy zastępczej"]),
    "elderly": (TargetGroup.ELDERLY, ["long_illness", "household_helplessness"], [
        "Córka mieszkająca w Gdańsku zgłasza, że rodzic mieszkający w Toruniu nie radzi sobie z zakupami i lekami.",
        "Sąsiedzi zgłaszają, że starsza osoba od kilku dni nie wychodzi z mieszkania i nie otwiera drzwi.",
        "Samotna osoba po udarze, bez opieki w ciągu dnia; w mieszkaniu zimno.",
    ], ["Szpital Miejski – oddział wewnętrzny", "Przychodnia rejonowa – pielęgniarka środowiskowa"]),
    "unemployed": (TargetGroup.UNEMPLOYED, ["unemployment", "poverty"], [
        "Osoba długotrwale bezrobotna, bez statusu w PUP, prosi o pomoc w znalezieniu pracy i opłaceniu rachunków.",
        "Po likwidacji zakładu pracy od roku bez zatrudnienia, narastają długi, odcięto gaz.",
    ], ["Powiatowy Urząd Pracy dla Miasta Torunia"]),
    "disabled": (TargetGroup.DISABLED, ["disability", "housing"], [
        "Matka dorosłego syna z niepełnosprawnością intelektualną prosi o wsparcie – sama choruje.",
        "Osoba na wózku mieszka na trzecim piętrze bez windy, od miesięcy nie wychodzi z domu.",
    ], ["Miejski Zespół ds. Orzekania o Niepełnosprawności"]),
    "addiction": (TargetGroup.ADDICTION, ["addiction"], [
        "Rodzina zgłasza nadużywanie alkoholu, brak pieniędzy na utrzymanie, awantury.",
        "Sąsiedzi skarżą się na osobę nadużywającą alkoholu, mieszkanie jest zaniedbane.",
    ], ["Policja – dzielnicowy", "Miejska Komisja Rozwiązywania Problemów Alkoholowych"]),
    "homeless": (TargetGroup.HOMELESS, ["homelessness", "poverty"], [
        "Nocuje w altanie na ogródkach działkowych, prosi o miejsce w noclegowni.",
        "Osoba bezdomna nocuje na klatce schodowej bloku, jest wychłodzona.",
    ], ["Straż Miejska", "Policja – dzielnicowy"]),
    # Seed 001 IV.1: "chorych psychicznie wymagających wsparcia aktywizująco-integracyjnego".
    "mental_illness": (TargetGroup.MENTAL_ILLNESS, ["long_illness", "household_helplessness"], [
        "Po wypisie ze szpitala psychiatrycznego mieszka sama, nie odbiera leków, zalega z opłatami.",
        "Brat zgłasza, że osoba chorująca psychicznie od tygodni nie wychodzi z domu i nie je regularnie.",
    ], ["Centrum Zdrowia Psychicznego – zespół środowiskowy"]),
}
GOALS = {  # the contract's main goal and its specific goals, by kind of household
    "family": ("Zapewnienie dzieciom właściwej opieki", ["Regularna nauka dzieci", "Spłata zaległości czynszowych"]),
    "foster_family": ("Powrót dziecka z pieczy zastępczej", ["Regularne kontakty z dzieckiem", "Stała praca"]),
    "elderly": ("Samodzielne funkcjonowanie w domu", ["Usługi opiekuńcze", "Regularne leczenie"]),
    "unemployed": ("Podjęcie zatrudnienia", ["Rejestracja w PUP i udział w szkoleniu", "Spłata zadłużenia"]),
    "disabled": ("Większa samodzielność", ["Orzeczenie o niepełnosprawności", "Zajęcia w środowiskowym domu"]),
    "addiction": ("Utrzymanie abstynencji", ["Terapia w poradni uzależnień", "Udział w grupie AA"]),
    "homeless": ("Wyjście z bezdomności", ["Pobyt w noclegowni", "Mieszkanie treningowe"]),
    "mental_illness": ("Stabilne leczenie w środowisku", ["Regularne wizyty w poradni", "Klub samopomocy"]),
}
REPORTERS = [  # name, relation to the client, contact
    ("Maria Wiśniewska", "sąsiadka", "tel. 601 234 567"), ("Janusz Ołdakowski", "sąsiad", "tel. 512 908 331"),
    ("Barbara Kęsik", "krewna", "barbara.kesik@example.pl"), ("Teresa Jóźwiak", "znajoma", "ul. Lubicka 12/4, Toruń"),
]
CONTACTS = {  # II.4, the mandatory contacts: the district clinic (children under 7), the foster-care organiser
    "district_clinic": ("Przychodnia rejonowa", "Dziecko pod stałą opieką lekarza, szczepienia aktualne."),
    "foster_care": ("Organizator rodzinnej pieczy zastępczej", "Rodzic odwiedza dziecko nieregularnie."),
}
# fmt: on
REFUSAL = "Odmowa współpracy; podpisane oświadczenie o rezygnacji z pomocy, pozostawiono ulotkę. Notatka dla Dyrektora."

# --- the family assistant (seed 002) ---------------------------------------------------------------------------
# fmt: off
COURT = "Sąd Rejonowy w Toruniu, III Wydział Rodzinny i Nieletnich"
COURT_ADDRESS = COURT + ", ul. Piekary 51, 87-100 Toruń"
ASSISTANT_REQUESTS = {  # scenario: the worker's justification, the head's opinion, the director's decision
    "at_work": (
        "Po diagnozie: rodzice nie radzą sobie z organizacją dnia, dzieci opuszczają lekcje i nie odrabiają prac "
        "domowych, w mieszkaniu zaniedbania, narastają zaległości czynszowe. Kontrakt socjalny realizowany "
        "z trudem – potrzebne systematyczne wsparcie asystenta w domu rodziny. Rodzina wyraziła pisemną zgodę.",
        "Opiniuję pozytywnie. Rodzina spełnia przesłanki; asystent wesprze realizację kontraktu socjalnego.",
        "Zatwierdzam. Przydzielić asystenta rodziny od najbliższego tygodnia.",
    ),
    "ended": (
        "Rodzice nie radzą sobie z pielęgnacją najmłodszego dziecka i opieką nad starszymi dziećmi, brak "
        "stałego rytmu dnia, zaniedbane wizyty w poradni. Rodzina chce współpracy z asystentem (zgoda pisemna).",
        "Opinia pozytywna – wsparcie krótkoterminowe, z naciskiem na umiejętności opiekuńcze.",
        "Zatwierdzam wniosek.",
    ),
    "opinion": (
        "Rodzina z dziećmi w wieku szkolnym: powtarzające się konflikty, rodzice bez umiejętności wychowawczych, "
        "starsze dziecko zagrożone nieklasyfikowaniem. Rodzice podpisali zgodę na asystenta.",
        "", "",
    ),
    "approval": (
        "Dziecko z orzeczeniem o potrzebie kształcenia specjalnego, rodzice przeciążeni opieką i obowiązkami; "
        "zaległości w opłatach, brak wsparcia dalszej rodziny. Zgoda rodziny na asystenta – w teczce.",
        "Opiniuję pozytywnie; wskazany asystent z doświadczeniem w pracy z dziećmi z niepełnosprawnością.",
        "",
    ),
}
LETTER_NOTE = "Pismo przydzielające asystenta rodziny doręczono rodzinie osobiście; kopia w teczce sprawy."
PLANS = {  # scenario: the first plan (assessment, goals, methods) and, where there is one, the second
    "at_work": [
        ("Rodzina niewydolna wychowawczo w zakresie organizacji dnia i nauki dzieci; rodzice zmotywowani do zmiany, "
         "wsparcie babci mieszkającej w pobliżu.",
         "1. Regularne uczęszczanie dzieci do szkoły (frekwencja powyżej 90%).\n"
         "2. Porozumienie z MZK w sprawie spłaty zaległości czynszowych.\n3. Planowanie budżetu domowego.",
         "Wizyty w domu co dwa tygodnie, kontakt z wychowawcami, wspólna wizyta w MZK, tygodniowy plan wydatków.",
         ""),
        ("Frekwencja dzieci poprawiła się, porozumienie z MZK zawarte i spłacane. Matka podjęła pracę na pół etatu.",
         "1. Utrzymanie frekwencji dzieci.\n2. Organizacja opieki nad dziećmi po lekcjach (świetlica szkolna).\n"
         "3. Terminowe raty porozumienia z MZK.",
         "Wizyty popołudniowe co dwa tygodnie, zapis dzieci do świetlicy, kontrola rat raz w miesiącu.",
         "Matka podjęła pracę – zmiana godzin wizyt i nowy cel: opieka nad dziećmi po lekcjach."),
    ],
    "ended": [
        ("Rodzice niepewni w pielęgnacji niemowlęcia, chaos w organizacji dnia; dobra więź z dziećmi.",
         "1. Stały rytm dnia dzieci.\n2. Terminowe wizyty w poradni dziecięcej i szczepienia.\n"
         "3. Samodzielne prowadzenie domowego budżetu.",
         "Wizyty co dwa tygodnie, wspólne wizyty w poradni, ćwiczenie planu tygodnia i listy zakupów.", ""),
    ],
    "court": [
        ("Dziecko w rodzinie zastępczej od roku; matka deklaruje chęć powrotu dziecka, mieszkanie wymaga remontu, "
         "kontakty z dzieckiem nieregularne.",
         "1. Regularne kontakty z dzieckiem (co tydzień, według harmonogramu organizatora pieczy).\n"
         "2. Przygotowanie pokoju dla dziecka.\n3. Udział w warsztatach umiejętności rodzicielskich.",
         "Wizyty co dwa tygodnie, kontakt z koordynatorem pieczy zastępczej, informacja dla sądu co kwartał.", ""),
    ],
}
VISITS = [  # the karta of the assistant's work: what happened at a visit
    "Rozmowa z rodzicami o planie dnia dzieci; sprawdzono zeszyty i dziennik elektroniczny.",
    "Wspólne przygotowanie tygodniowego jadłospisu i listy zakupów w ramach budżetu.",
    "Pomoc w napisaniu pisma do MZK w sprawie rozłożenia zaległości na raty.",
    "Wizyta w szkole z matką – rozmowa z wychowawczynią o frekwencji i zaległościach.",
    "Porządkowanie dokumentów rodziny; ustalono terminy wizyt w poradni dziecięcej.",
    "Rozmowa o sposobach reagowania na zachowania dzieci bez krzyku; ćwiczenie zasad domowych.",
    "Sprawdzono realizację zadań z poprzedniej wizyty; mieszkanie posprzątane, dzieci odrobiły lekcje.",
    "Wspólne wypełnienie wniosku o dofinansowanie wypoczynku letniego dzieci.",
    "Rozmowa z ojcem o poszukiwaniu pracy; przegląd ofert z PUP.",
    "Towarzyszenie matce w wizycie w poradni psychologiczno-pedagogicznej.",
]
JOINT_VISIT = ("Pierwsza wspólna wizyta asystenta z pracownikiem socjalnym: przedstawienie asystenta, omówienie "
               "zasad współpracy i celów kontraktu socjalnego.")
VISIT_PLACES = ["miejsce zamieszkania rodziny"] * 6 + ["szkoła dziecka", "siedziba MOPR"]
MONTHLY = [  # the monthly report on the family, month by month
    "Rodzina współpracuje, dotrzymuje ustaleń w większości zadań; poprawa porządku w mieszkaniu.",
    "Frekwencja dzieci w szkole lepsza; rodzice korzystają z planu wydatków, choć nie zawsze go pilnują.",
    "Zaległości czynszowe spłacane zgodnie z porozumieniem; kontakt z wychowawcami regularny.",
    "Spadek motywacji po trudnym miesiącu (choroba dziecka); ustalono mniejsze, konkretne kroki.",
    "Rodzina samodzielnie pilnuje terminów wizyt lekarskich; dzieci zapisane na zajęcia pozalekcyjne.",
    "Stabilna sytuacja; rodzice coraz częściej sami rozwiązują bieżące problemy.",
]
ASSESSMENT = ("Okresowa ocena sytuacji rodziny dla Dyrektora: wyraźna poprawa opieki nad dziećmi i organizacji dnia, "
              "frekwencja dzieci powyżej 90%, zaległości czynszowe zmniejszone o połowę. Rekomendacja: kontynuacja "
              "wsparcia asystenta przez kolejne pół roku.")
CHANGES = [  # a change of the family's situation: the family did not tell the worker, the assistant did; a new one
    "Do rodziny wprowadził się partner matki – zmiana składu gospodarstwa domowego.",
    "Matka straciła pracę (koniec umowy na czas określony) – zmiana sytuacji finansowej rodziny.",
]
FINAL = ("Sprawozdanie z pracy asystenta z rodziną: cele planu osiągnięte – rodzice samodzielnie organizują opiekę "
         "nad dziećmi, dzieci pod stałą opieką poradni, opłaty regulowane terminowo. Rodzina pozostaje pod opieką "
         "pracownika socjalnego (wizyty kontrolne przez dwa miesiące).")
SCHOOL_REQUEST = (  # an external institution's request, the worker's reply
    "Szkoła Podstawowa nr 5 w Toruniu", "ul. Legionów 19, 87-100 Toruń",
    "Wniosek pedagoga szkolnego o asystenta rodziny: uczeń klasy IV często się spóźnia i nie odrabia lekcji.",
    "W odpowiedzi na wniosek z dnia {received:%d.%m.%Y} informuję, że wywiad środowiskowy przeprowadzony "
    "{interview:%d.%m.%Y} nie wykazał przesłanek do przydzielenia asystenta rodziny. Rodzina współpracuje "
    "z pracownikiem socjalnym w ramach kontraktu socjalnego, trudności szkolne dziecka diagnozuje Poradnia "
    "Psychologiczno-Pedagogiczna, a rodzice nie widzą potrzeby wsparcia asystenta. Sytuacja rodziny pozostaje pod "
    "obserwacją pracownika socjalnego.",
)

# --- refusing environments (seed 003) --------------------------------------------------------------------------
MONITORING = {  # kind of household: the note to the director, then the plan's contacts (family, neighbours, health,
    # organisations)
    "addiction": (
        "Klient nadużywa alkoholu, odmawia przyjęcia pomocy i podjęcia leczenia; podpisał oświadczenie o rezygnacji "
        "z pomocy, pozostawiono ulotkę z danymi ośrodka. Brak bezpośredniego zagrożenia życia.",
        ["Siostra klienta (tel. w aktach) – informacja o stanie zdrowia i kontaktach.",
         "Sąsiedzi z klatki – zgłaszanie awantur i niepokojących sytuacji.", "Lekarz rodzinny z przychodni rejonowej.",
         "Klub Abstynenta „Pod Dębem” – zaproszenie na spotkania."],
    ),
    "elderly": (
        "Starsza osoba mieszkająca samotnie odmawia usług opiekuńczych i pobytu dziennego; oświadczenie "
        "o rezygnacji podpisane, ulotka pozostawiona. Sąsiedzi pomagają w zakupach.",
        ["Córka mieszkająca w Gdańsku – kontakt telefoniczny co tydzień.",
         "Sąsiadka z naprzeciwka robi zakupy – prośba o sygnał przy pogorszeniu.",
         "Pielęgniarka środowiskowa – wizyty raz w miesiącu.", "Parafialny zespół Caritas – odwiedziny wolontariuszy."],
    ),
    "homeless": (
        "Osoba bezdomna odmawia pobytu w noclegowni i ogrzewalni, nie chciała podpisać oświadczenia o rezygnacji; "
        "pozostawiono ulotkę z adresami noclegowni i punktów pomocy. Nocuje w altanie na ogródkach działkowych.",
        ["Brat (adres nieznany) – próba ustalenia kontaktu przez Policję.",
         "Zarząd ogrodów działkowych – informacja o miejscu nocowania.",
         "Punkt pomocy medycznej dla osób bezdomnych – opatrunki, badania.",
         "Straż Miejska – patrole w okresie mrozów, streetworker."],
    ),
    "family": (
        "Rodzice wypowiedzieli kontrakt socjalny i odmawiają dalszej współpracy; dzieci nadal w szkole, ale "
        "zaniedbane. Oświadczenie o rezygnacji podpisane, ulotka pozostawiona. Dobro dzieci zagrożone.",
        ["Babcia dzieci – kontakt raz w tygodniu.", "Sąsiedzi – zgłaszanie awantur i pozostawiania dzieci bez opieki.",
         "Pielęgniarka szkolna i przychodnia rejonowa – stan zdrowia dzieci.",
         "Szkoła Podstawowa – pedagog szkolny, frekwencja i wygląd dzieci."],
    ),
}
MONITORING_OUTCOMES = [
    "Wizyta monitorująca: osoba otworzyła drzwi, nadal odmawia pomocy; stan mieszkania bez zmian.",
    "Nikogo nie zastano; według sąsiadów wszystko w porządku, pozostawiono wezwanie do kontaktu.",
    "Rozmowa w drzwiach; odmowa przyjęcia pomocy, przyjęto ulotkę z aktualnymi numerami telefonów.",
    "Kontakt telefoniczny z rodziną; sytuacja stabilna, brak zagrożenia.",
]
MONITORING_REPORT = ("Sprawozdanie z realizacji planu działania: dwie wizyty monitorujące, kontakt z babcią dzieci "
                     "i pedagogiem szkolnym. Rodzice nadal odmawiają współpracy, dzieci coraz częściej nieobecne "
                     "w szkole i zaniedbane; zagrożone dobro dzieci.")
MONITORING_DECISION = ("Wspólna decyzja Dyrektora i pracownika socjalnego: wniosek do Sądu Rejonowego w Toruniu "
                       "o wgląd w sytuację rodziny; monitoring według planu trwa do czasu rozstrzygnięcia.")
COURT_NOTICE = ("Wniosek o wgląd w sytuację rodziny: rodzice odmawiają współpracy z ośrodkiem, dobro dzieci "
                "zagrożone (zaniedbania, nieobecności w szkole).")

# --- team meetings and inspections (seed 000 IV.3, VII) -----------------------------------------------------------
MEETING_TOPICS = [
    "Sprawy organizacyjne: grafik dyżurów w punkcie konsultacyjnym, zastępstwa na czas urlopów.",
    "Omówiono zmiany w procedurze Niebieskiej Karty i współpracę z zespołem interdyscyplinarnym.",
    "Informacja kierownika działu o naborze do projektu aktywizacji zawodowej (KIS).",
    "Superwizja koleżeńska: trudny kontakt z klientem odmawiającym współpracy.",
    "Ustalono wspólne wizyty w sprawach z zagrożeniem przemocą (zawsze dwie osoby).",
    "Przegląd terminów kontraktów socjalnych i ewaluacji w rejonie.",
]
STAGE_REMARKS = {  # what the team said of a case at a meeting, by its stage
    "rozeznanie": "ustalono termin ponownej wizyty i kontakt z instytucjami",
    "diagnoza": "omówiono wstępną diagnozę; zasadna praca socjalna na podstawie kontraktu",
    "praca_socjalna": "ewaluacja kontraktu – cele realizowane, kolejne kroki uzgodnione",
    "monitoring": "środowisko odmawiające pomocy – monitoring według planu Dyrektora",
    "zawieszenie": "sprawa zawieszona – pobyt w placówce, kontakt telefoniczny",
    "zgloszenie": "nowe zgłoszenie – ustalono termin pierwszej wizyty",
}
MEETING_GUESTS = ["", "", "", "dzielnicowy KMP w Toruniu", "asystent rodziny", "pedagog Szkoły Podstawowej nr 5"]
INSPECTIONS = [  # scope, findings, recommendations; the first is followed up, the second still open
    ("Dokumentacja pracy socjalnej: karty pracy socjalnej, kontrakty socjalne, terminowość wpisów.",
     "Karty prowadzone na bieżąco; w dwóch sprawach brak ewaluacji kontraktu po trzech miesiącach.",
     "Uzupełnić ewaluacje kontraktów socjalnych i wpisać je do karty."),
    ("Realizacja procedury w sprawach rodzin z dziećmi: wizyty, kontakty z instytucjami (II.4), kontrakty.",
     "Obowiązkowe kontakty z przychodnią udokumentowane; w jednej sprawie kontrakt podpisany po terminie.",
     "Pilnować terminu dwóch miesięcy na kontrakt z nowym klientem; uzupełnić notatkę o przyczynie opóźnienia."),
]
# fmt: on

# fmt: off
DIRECTORY = [  # kind, name, department, address: the centre's directory of addressees (fictional demo data)
    ("family_court", "Sąd Rejonowy w Toruniu", "III Wydział Rodzinny i Nieletnich", "ul. Piekary 51, 87-100 Toruń"),
    ("police", "Komisariat Policji Toruń-Śródmieście", "", "ul. Szeroka 1, 87-100 Toruń"),
    ("prosecutor", "Prokuratura Rejonowa Toruń-Centrum", "", "ul. Mostowa 20, 87-100 Toruń"),
    ("health", "Przychodnia Rejonowa nr 3", "", "ul. Łazienna 8, 87-100 Toruń"),
    ("school", "Szkoła Podstawowa nr 15", "pedagog szkolny", "ul. Grudziądzka 60, 87-100 Toruń"),
    ("ppp", "Poradnia Psychologiczno-Pedagogiczna", "", "ul. Bema 20, 87-100 Toruń"),
    ("foster_care", "Miejski Ośrodek Pomocy Rodzinie", "Dział Pieczy Zastępczej", "ul. Konstytucji 3 Maja 42, Toruń"),
    ("labour_office", "Powiatowy Urząd Pracy dla Miasta Torunia", "", "ul. Szosa Chełmińska 30, 87-100 Toruń"),
]
# fmt: on
