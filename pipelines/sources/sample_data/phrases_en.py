"""English phrases of the sample archive (written for this project; demo data)."""

from __future__ import annotations

PHRASES: dict = {
    "months": ["January", "February", "March", "April", "May", "June",
               "July", "August", "September", "October", "November", "December"],
    "date": "{day} {month} {year}",
    "dateline": ("{CITY}, {date} —", "{date} — ", "{CITY} ({org}) —"),
    "org_intro": ("{based}-based {org}", "{org}", "the {based}-based {org}"),
    "roles": {
        "journalist": ("journalist", "reporter", "editor", "correspondent", "photojournalist",
                       "columnist", "TV presenter"),
        "media_worker": ("camera operator", "driver", "technician", "fixer"),
        "blogger": ("blogger", "online activist", "citizen journalist"),
        "writer": ("writer", "poet", "novelist", "author"),
        "artist": ("cartoonist", "musician", "filmmaker", "rapper"),
        "human_rights_defender": ("human rights defender", "activist", "trade unionist"),
        "lawyer": ("lawyer", "human rights lawyer"),
        "academic": ("university lecturer", "researcher", "professor", "student"),
        "protester": ("protester", "demonstrator"),
        "politician": ("opposition politician", "opposition MP"),
    },
    "outlet_kinds": {"daily": "the daily", "weekly": "the weekly", "radio": "radio station",
                     "tv": "TV channel", "website": "news website"},
    "of_outlet": " of {outlet}",
    "event": {
        "killing": ("{victim} was shot dead by unidentified gunmen in {city} on {date}.",
                    "{victim} was killed in {city}, {country}, on {date}.",
                    "The body of {victim} was found on the outskirts of {city} on {date}."),
        "physical_attack": ("{victim} was beaten by police while covering a protest in {city}.",
                            "{victim} was assaulted by a group of men outside {his} home in "
                            "{city} on {date} and was taken to hospital with injuries.",
                            "Unknown attackers set fire to the offices of {outlet} in {city} "
                            "overnight on {date}."),
        "threat_harassment": ("{victim} has received repeated death threats since publishing a "
                              "report on local corruption.",
                              "{victim} has been the target of a smear campaign and online "
                              "harassment in {country}.",
                              "Security agents have followed and intimidated {victim} in "
                              "{city} for weeks."),
        "arrest_detention": ("{victim} was arrested in {city} on {date}.",
                             "Police detained {victim} at {his} home in {city} on {date}.",
                             "{victim} was taken into custody in {city} on {date} and has been "
                             "held without charge since."),
        "imprisonment": ("A court in {city} sentenced {victim} to {years} years in prison on "
                         "{date}.",
                         "{victim} was jailed for {years} years on {date} over {his} reporting."),
        "abduction_disappearance": ("{victim} was abducted by armed men in {city} on {date}.",
                                    "{victim} has been missing since {date}, when {he} left "
                                    "{his} office in {city}."),
        "legal_action": ("Prosecutors in {city} charged {victim} with criminal defamation on "
                         "{date}.",
                         "{victim} faces a libel suit filed by a government minister in "
                         "{country}.",
                         "{victim} was summoned to court in {city} on {date} over a social "
                         "media post."),
        "censorship": ("Authorities in {country} suspended {outlet} on {date}.",
                       "The government of {country} ordered {outlet} closed and seized its "
                       "equipment on {date}.",
                       "Access to {outlet} was blocked in {country} on {date}.",
                       "Authorities banned a book by {victim} in {country} on {date}."),
        "surveillance": ("{victim} discovered that {his} phone had been infected with spyware.",
                         "Forensic analysis showed that {victim} was targeted with Pegasus "
                         "spyware."),
        "expulsion_entry_denial": ("{victim} was deported from {country} on {date}.",
                                   "{victim} was denied entry at the airport in {city} on "
                                   "{date}.",
                                   "Authorities in {country} withdrew the accreditation of "
                                   "{victim} on {date}."),
        "restrictive_law": ("Parliament in {country} passed {law} on {date}.",
                            "The government of {country} introduced {law} on {date}.",
                            "A new decree in {country}, {law}, was published on {date}."),
        "impunity": ("{date} marks another year since {victim} was murdered in {city}, and "
                     "no one has been brought to justice.",
                     "The killers of {victim} remain unpunished years after the crime in "
                     "{city}."),
        "internet_shutdown": ("Authorities in {country} shut down the internet on {date} "
                              "as protests spread.",
                              "Mobile internet was cut in {city} and across {country} on "
                              "{date}.",
                              "{platforms} were blocked across {country} on {date}, and "
                              "internet access was severely throttled."),
    },
    "law": {"media": ("a media law that allows the suspension of newspapers",
                      "a bill criminalising \"false news\""),
            "ngo": ("a foreign agents law targeting NGOs",
                    "a law restricting funding for civil society organisations"),
            "cyber": ("a cybercrime law that criminalises online criticism",
                      "a regulation requiring social media users to register with their ID"),
            "assembly": ("a law restricting public demonstrations",)},
    "platforms": ("Facebook, WhatsApp and Twitter", "Social media and messaging apps",
                  "YouTube and Telegram"),
    "stage": {
        "charged": ("{victim}, who was arrested in {orig_month}, was charged with "
                    "\"spreading false news\" on {date}.",
                    "Prosecutors formally charged {victim} with defamation on {date}."),
        "sentenced": ("{victim} was sentenced to {years} years in prison on {date}.",
                      "A court in {city} convicted {victim} and handed down a {years}-year "
                      "prison sentence on {date}."),
        "released": ("{victim} was released on {date} after months in detention.",
                     "{victim} was freed on bail on {date}."),
        "acquitted": ("A court in {city} acquitted {victim} on {date}.",
                      "All charges against {victim} were dropped on {date}."),
        "fined": ("{victim} was fined by a court in {city} on {date}.",),
        "freed": ("{victim}, who was abducted in {orig_month}, was freed on {date}.",),
        "body_found": ("The body of {victim}, missing since {orig_month}, was found near "
                       "{city} on {date}.",),
        "suspects_acquitted": ("The suspects in the murder of {victim} were acquitted on "
                               "{date}, leaving the crime unpunished.",),
        "ban_lifted": ("Authorities lifted the ban on {outlet} on {date}.",),
        "restored": ("Internet access was restored in {country} on {date}, after the "
                     "shutdown that began in {orig_month}.",),
        "adopted": ("Despite protests, {law} was adopted in {country} on {date}.",),
        "withdrawn": ("The government of {country} withdrew {law} on {date}.",),
        "appeal_rejected": ("An appeals court upheld the prison sentence of {victim} on "
                            "{date}.",),
    },
    "detail": {
        "physical_attack": "{He} was also beaten during the arrest.",
        "censorship": "Police confiscated {his} laptop and camera.",
        "threat_harassment": "{He} had received threatening phone calls in the weeks before.",
        "surveillance": "{He} later learned that {his} communications had been intercepted.",
    },
    "background": ("{surname} has reported on corruption and land disputes for years.",
                   "{surname} is known for {his} critical coverage of the security forces.",
                   "Colleagues say the case is linked to {his} recent work.",
                   "According to local colleagues, the authorities gave no reason.",
                   ""),
    "statement": ("{org_intro} condemned the case and called on the authorities in {country} "
                  "to respect press freedom.",
                  "{org_intro} is alarmed and urges an immediate, independent investigation.",
                  "\"This is a grave attack on freedom of expression,\" said {org_intro}.",
                  "{org_intro} welcomed the news but said the case should never have "
                  "happened."),
    "title": {
        "default": ("{country}: {Role} {name} targeted", "{Role} {name}: {country} case"),
        "killing": ("{Role} {name} killed in {country}", "{country}: {role} shot dead in {city}"),
        "physical_attack": ("{country}: {role} attacked in {city}",
                            "{Role} {name} assaulted in {country}"),
        "threat_harassment": ("{Role} {name} threatened in {country}",),
        "arrest_detention": ("{Role} {name} arrested in {country}",
                             "{country}: {role} detained in {city}"),
        "imprisonment": ("{country}: {role} {name} jailed for {years} years",),
        "abduction_disappearance": ("{Role} abducted in {country}",
                                    "{country}: {role} {name} missing"),
        "legal_action": ("{country}: {role} {name} charged with defamation",),
        "censorship": ("{country}: authorities silence {outlet}", "{Outlet} suspended in "
                       "{country}"),
        "surveillance": ("{Role} {name} targeted with spyware",),
        "expulsion_entry_denial": ("{country} expels {role} {name}",),
        "restrictive_law": ("{country}: new law threatens free expression",),
        "impunity": ("{country}: justice still denied for {name}",),
        "internet_shutdown": ("{country}: internet shut down", "Internet shutdown in "
                              "{country}"),
        "release": ("{country}: {name} released", "{Role} {name} freed in {country}"),
    },
}
