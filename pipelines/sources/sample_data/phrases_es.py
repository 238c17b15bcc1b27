"""Spanish phrases of the sample archive (written for this project; demo data)."""

from __future__ import annotations

PHRASES: dict = {
    "months": ["enero", "febrero", "marzo", "abril", "mayo", "junio",
               "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "date": "{day} de {month} de {year}",
    "dateline": ("{CITY}, {date} —", "{CITY} ({org}) —"),
    "org_intro": ("{org}, con sede en {base},", "{org}"),
    "roles": {
        "journalist": (("el periodista", "la periodista"), ("el reportero", "la reportera"),
                       ("el corresponsal", "la corresponsal")),
        "media_worker": (("el camarógrafo", "la camarógrafa"),),
        "blogger": (("el bloguero", "la bloguera"), ("el activista digital",
                                                     "la activista digital")),
        "writer": (("el escritor", "la escritora"), ("el poeta", "la poeta")),
        "artist": (("el caricaturista", "la caricaturista"), ("el músico", "la música")),
        "human_rights_defender": (("el defensor de derechos humanos",
                                   "la defensora de derechos humanos"),
                                  ("el líder social", "la lideresa social")),
        "lawyer": (("el abogado", "la abogada"),),
        "academic": (("el profesor universitario", "la profesora universitaria"),
                     ("el estudiante", "la estudiante")),
        "protester": (("el manifestante", "la manifestante"),),
        "politician": (("el dirigente opositor", "la dirigente opositora"),),
    },
    "outlet_kinds": {"daily": "el diario", "weekly": "el semanario", "radio": "la emisora",
                     "tv": "el canal de televisión", "website": "el portal de noticias"},
    "of_outlet": " del medio {outlet_name}",
    "event": {
        "killing": ("{Victim} fue asesinad{o} a tiros en {city} el {date}.",
                    "El cuerpo de {victim} fue hallado en las afueras de {city} el {date}."),
        "physical_attack": ("{Victim} fue golpead{o} por agentes de policía mientras cubría "
                            "una protesta en {city}.",
                            "Desconocidos atacaron las instalaciones de {outlet} en {city} "
                            "el {date}."),
        "threat_harassment": ("{Victim} recibió amenazas de muerte tras publicar una "
                              "investigación sobre corrupción.",
                              "{Victim} denunció hostigamiento y una campaña de "
                              "desprestigio en redes sociales."),
        "arrest_detention": ("{Victim} fue detenid{o} en {city} el {date}.",
                             "La policía arrestó a {victim} en su casa de {city} el {date}."),
        "imprisonment": ("{Victim} fue condenad{o} a {years} años de prisión el {date}.",),
        "abduction_disappearance": ("{Victim} fue secuestrad{o} por hombres armados en "
                                    "{city} el {date}.",
                                    "{Victim} está desaparecid{o} desde el {date}."),
        "legal_action": ("Un juez de {city} abrió un proceso penal por difamación contra "
                         "{victim}.", "{Victim} fue demandad{o} por un funcionario "
                         "público."),
        "censorship": ("Las autoridades cerraron {outlet} el {date}.",
                       "El gobierno ordenó suspender las transmisiones de {outlet} el {date}."),
        "surveillance": ("El teléfono de {victim} fue infectado con el programa espía "
                         "Pegasus.",),
        "expulsion_entry_denial": ("{Victim} fue expulsad{o} del país el {date}.",
                                   "A {victim} se le negó la entrada al país el {date}."),
        "restrictive_law": ("El Congreso aprobó {law} el {date}.",),
        "impunity": ("A años del asesinato de {victim} en {city}, el crimen sigue impune.",),
        "internet_shutdown": ("Las autoridades cortaron el acceso a internet en todo el "
                              "país el {date}.",),
    },
    "law": {"media": ("una ley de medios que permite cerrar periódicos",),
            "ngo": ("una ley de agentes extranjeros contra las ONG",),
            "cyber": ("una ley de ciberdelitos que castiga las críticas en línea",),
            "assembly": ("una ley que restringe las manifestaciones públicas",)},
    "platforms": ("Facebook y WhatsApp",),
    "stage": {
        "charged": ("{Victim}, detenid{o} en {orig_month}, fue imputad{o} el {date}.",),
        "sentenced": ("{Victim} fue condenad{o} a {years} años de cárcel el {date}.",),
        "released": ("{Victim} fue liberad{o} el {date}.",),
        "acquitted": ("Un tribunal de {city} absolvió a {victim} el {date}.",),
        "fined": ("{Victim} fue multad{o} por un tribunal de {city} el {date}.",),
        "freed": ("{Victim}, secuestrad{o} en {orig_month}, fue liberad{o} el {date}.",),
        "body_found": ("El cuerpo de {victim}, desaparecid{o} desde {orig_month}, fue "
                       "hallado el {date}.",),
        "suspects_acquitted": ("Los acusados del asesinato de {victim} fueron absueltos el "
                               "{date}.",),
        "ban_lifted": ("Las autoridades levantaron la suspensión de {outlet} el {date}.",),
        "restored": ("El acceso a internet fue restablecido el {date}.",),
        "adopted": ("Pese a las críticas, {law} fue aprobada el {date}.",),
        "withdrawn": ("El gobierno retiró {law} el {date}.",),
        "appeal_rejected": ("Un tribunal de apelación confirmó la condena de {victim} el "
                            "{date}.",),
    },
    "detail": {"physical_attack": "Según testigos, {victim} fue golpead{o} durante el "
                                  "arresto.",
               "censorship": "Los agentes confiscaron su computadora y su cámara."},
    "background": ("Sus colegas vinculan el caso con sus reportajes sobre corrupción.",
                   "Las autoridades no explicaron los motivos.", ""),
    "statement": ("{org_intro} condenó el hecho y exigió a las autoridades garantizar la "
                  "libertad de prensa.",
                  "{org_intro} pidió una investigación independiente e inmediata."),
    "title": {
        "default": ("{country}: {role} {name}, en riesgo",),
        "killing": ("{country}: asesinan a {role} {name}",),
        "arrest_detention": ("{country}: detienen a {role} {name}",),
        "censorship": ("{country}: cierran {outlet}",),
        "internet_shutdown": ("{country}: apagón de internet",),
        "restrictive_law": ("{country}: nueva ley amenaza la libertad de expresión",),
        "release": ("{country}: liberan a {role} {name}",),
    },
}
