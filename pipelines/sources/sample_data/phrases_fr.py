"""French phrases of the sample archive (written for this project; demo data)."""

from __future__ import annotations

PHRASES: dict = {
    "months": ["janvier", "février", "mars", "avril", "mai", "juin",
               "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "date": "{day} {month} {year}",
    "dateline": ("{CITY}, le {date} —", "{CITY} ({org}) —"),
    "org_intro": ("{org}, basée à {base},", "{org}"),
    "roles": {
        "journalist": (("le journaliste", "la journaliste"), ("le reporter", "la reporter"),
                       ("le correspondant", "la correspondante")),
        "media_worker": (("le caméraman", "la camérawoman"), ("le technicien", "la technicienne")),
        "blogger": (("le blogueur", "la blogueuse"), ("le cyberactiviste", "la cyberactiviste")),
        "writer": (("l'écrivain", "l'écrivaine"), ("le poète", "la poétesse")),
        "artist": (("le caricaturiste", "la caricaturiste"), ("le musicien", "la musicienne")),
        "human_rights_defender": (("le défenseur des droits humains",
                                   "la défenseure des droits humains"),
                                  ("le militant", "la militante")),
        "lawyer": (("l'avocat", "l'avocate"),),
        "academic": (("l'universitaire", "l'universitaire"), ("l'étudiant", "l'étudiante")),
        "protester": (("le manifestant", "la manifestante"),),
        "politician": (("l'opposant", "l'opposante"),),
    },
    "outlet_kinds": {"daily": "le quotidien", "weekly": "l'hebdomadaire", "radio": "la radio",
                     "tv": "la chaîne de télévision", "website": "le site d'information"},
    "of_outlet": " du média {outlet_name}",
    "event": {
        "killing": ("{Victim} a été tué{e} par balles à {city} le {date}.",
                    "Le corps de {victim} a été retrouvé près de {city} le {date}."),
        "physical_attack": ("{Victim} a été violemment agressé{e} à {city} le {date}.",
                            "Les locaux de {outlet} ont été incendiés à {city} le {date}."),
        "threat_harassment": ("{Victim} reçoit des menaces de mort depuis la publication "
                              "d'une enquête sur la corruption.",),
        "arrest_detention": ("{Victim} a été arrêté{e} à {city} le {date}.",
                             "{Victim} est détenu{e} sans inculpation depuis le {date} à "
                             "{city}."),
        "imprisonment": ("{Victim} a été condamné{e} à {years} ans de prison le {date}.",),
        "abduction_disappearance": ("{Victim} a été enlevé{e} par des hommes armés à {city} "
                                    "le {date}.", "{Victim} est porté{e} disparu{e} depuis "
                                    "le {date}."),
        "legal_action": ("{Victim} est poursuivi{e} pour diffamation devant un tribunal de "
                         "{city}.",),
        "censorship": ("Les autorités ont suspendu {outlet} le {date}.",
                       "{Outlet} a été fermé et son matériel saisi le {date}."),
        "surveillance": ("Le téléphone de {victim} a été infecté par un logiciel espion.",),
        "expulsion_entry_denial": ("{Victim} a été expulsé{e} du pays le {date}.",),
        "restrictive_law": ("Le parlement a adopté {law} le {date}.",),
        "impunity": ("Des années après l'assassinat de {victim} à {city}, les meurtriers "
                     "restent impunis.",),
        "internet_shutdown": ("Les autorités ont coupé l'accès à Internet dans tout le pays "
                              "le {date}.", "L'internet mobile a été coupé à {city} le "
                              "{date}, en pleine contestation."),
    },
    "law": {"media": ("une loi sur la presse qui permet de suspendre les journaux",),
            "ngo": ("une loi qui restreint le financement des associations",),
            "cyber": ("une loi sur la cybercriminalité qui punit les critiques en ligne",),
            "assembly": ("une loi qui restreint le droit de manifester",)},
    "platforms": ("Facebook et WhatsApp",),
    "stage": {
        "charged": ("{Victim}, arrêté{e} en {orig_month}, a été inculpé{e} le {date}.",),
        "sentenced": ("{Victim} a été condamné{e} à {years} ans de prison le {date}.",),
        "released": ("{Victim} a été libéré{e} le {date}.",),
        "acquitted": ("{Victim} a été acquitté{e} par le tribunal de {city} le {date}.",),
        "fined": ("{Victim} a été condamné{e} à une amende le {date}.",),
        "freed": ("{Victim}, enlevé{e} en {orig_month}, a été libéré{e} le {date}.",),
        "body_found": ("Le corps de {victim}, disparu{e} depuis {orig_month}, a été "
                       "retrouvé le {date}.",),
        "suspects_acquitted": ("Les suspects du meurtre de {victim} ont été acquittés le "
                               "{date}.",),
        "ban_lifted": ("L'interdiction de {outlet} a été levée le {date}.",),
        "restored": ("L'accès à Internet a été rétabli le {date}.",),
        "adopted": ("Malgré les protestations, {law} a été adoptée le {date}.",),
        "withdrawn": ("Le gouvernement a retiré {law} le {date}.",),
        "appeal_rejected": ("La cour d'appel a confirmé la peine de {victim} le {date}.",),
    },
    "detail": {"physical_attack": "Selon ses proches, {victim} a été frappé{e} lors de "
                                  "l'arrestation.",
               "censorship": "La police a saisi son ordinateur et ses carnets."},
    "background": ("Selon ses collègues, l'affaire est liée à ses reportages récents.",
                   "Les autorités n'ont donné aucune explication.", ""),
    "statement": ("{org_intro} condamne cette décision et demande aux autorités de respecter "
                  "la liberté de la presse.",
                  "{org_intro} demande une enquête indépendante et immédiate."),
    "title": {
        "default": ("{country} : {role} {name} visé{e}",),
        "killing": ("{country} : {role} {name} assassiné{e}",),
        "arrest_detention": ("{country} : {role} {name} arrêté{e}",),
        "censorship": ("{country} : {outlet} suspendu",),
        "internet_shutdown": ("{country} : coupure d'Internet",),
        "restrictive_law": ("{country} : une nouvelle loi menace la liberté d'expression",),
        "release": ("{country} : {role} {name} libéré{e}",),
    },
}
