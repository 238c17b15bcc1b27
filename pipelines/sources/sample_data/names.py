"""Invented people and outlets by name group; "Latin|script" where alerts use another script."""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # group: (male given names, female given names, family names)
    "latam": (_split("José, Carlos, Luis, Jorge, Miguel, Javier, Andrés, Ricardo, Óscar, Héctor"),
              _split("María, Ana, Lucía, Carmen, Paola, Gabriela, Rosa, Claudia, Elena, Daniela"),
              _split("Hernández, García, Martínez, López, Ramírez, Torres, Castillo, Vargas, "
                     "Morales, Ortiz, Reyes, Mendoza, Rojas, Salazar")),
    "anglo": (_split("James, Michael, David, Robert, Daniel"),
              _split("Sarah, Emily, Jessica, Laura, Rachel"),
              _split("Miller, Johnson, Brooks, Carter, Hughes, Sullivan")),
    "franco": (_split("Jean-Pierre, Patrick, Didier, Serge, Moïse, Joseph, Alain, Gérard"),
               _split("Marie, Solange, Béatrice, Clarisse, Aïcha, Françoise"),
               _split("Mbala, Kabongo, Diallo, Traoré, Ouédraogo, Ndongo, Koné, Nkurunziza, "
                      "Tshibanda, Kamara")),
    "arab": (_split("Ahmed|أحمد, Mohamed|محمد, Khaled|خالد, Omar|عمر, Youssef|يوسف, "
                    "Hassan|حسن, Ali|علي, Mahmoud|محمود, Samir|سمير, Tarek|طارق"),
             _split("Fatima|فاطمة, Nour|نور, Mariam|مريم, Salma|سلمى, Hala|هالة, "
                    "Rania|رانيا, Layla|ليلى, Amal|أمل"),
             _split("Mansour|منصور, Haddad|حداد, Saleh|صالح, Nasser|ناصر, Abdallah|عبد الله, "
                    "Khalil|خليل, Ibrahim|إبراهيم, Hamdan|حمدان, Aziz|عزيز, Darwish|درويش")),
    "persian": (_split("Reza, Mehdi, Hossein, Ali, Saeed, Ahmad, Farhad"),
                _split("Narges, Shirin, Maryam, Zahra, Nasrin, Fereshteh"),
                _split("Karimi, Hosseini, Rahimi, Mohammadi, Ahmadi, Sadeghi, Jafari, Rezaei")),
    "turkish": (_split("Mehmet, Ahmet, Mustafa, Hasan, Murat, Can, Erol"),
                _split("Ayşe, Zeynep, Elif, Fatma, Nazlı, Hatice"),
                _split("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın, Öztürk, Arslan")),
    "slavic": (_split("Ivan|Иван, Sergei|Сергей, Dmitry|Дмитрий, Alexei|Алексей, "
                      "Andrei|Андрей, Nikolai|Николай, Pavel|Павел, Igor|Игорь"),
               _split("Anna|Анна, Elena|Елена, Olga|Ольга, Natalia|Наталья, "
                      "Irina|Ирина, Svetlana|Светлана"),
               _split("Ivanov|Иванов, Petrov|Петров, Sokolov|Соколов, Volkov|Волков, "
                      "Morozov|Морозов, Novikov|Новиков, Kuznetsov|Кузнецов, "
                      "Orlov|Орлов")),
    "caucasus": (_split("Elchin|Эльчин, Rashad|Рашад, Giorgi|Гиорги, Arman|Арман, "
                        "Tural|Турал"),
                 _split("Khadija|Хадиджа, Leyla|Лейла, Nino|Нино, Aynur|Айнур"),
                 _split("Aliyev|Алиев, Mammadov|Мамедов, Huseynov|Гусейнов, "
                        "Hasanli|Гасанлы, Beridze|Беридзе")),
    "central": (_split("Nurlan|Нурлан, Bakyt|Бакыт, Rustam|Рустам, Askar|Аскар, "
                       "Timur|Тимур, Dilshod|Дилшод"),
                _split("Aigul|Айгуль, Gulnara|Гульнара, Dinara|Динара, Zarina|Зарина"),
                _split("Nurmagambetov|Нурмагамбетов, Sadykov|Садыков, Karimov|Каримов, "
                       "Tursunov|Турсунов, Abdullaev|Абдуллаев, Seitkali|Сейткали")),
    "chinese": (_split("Wei, Jun, Hao, Ming, Lei, Jian"),
                _split("Li, Fang, Xiu, Mei, Yan, Ling"),
                _split("Wang, Zhang, Liu, Chen, Huang, Zhao, Wu, Zhou")),
    "seasia": (_split("Nguyen Van, Aung, Somchai, Rodrigo, Budi, Ahmad"),
               _split("Thi Mai, Khin, Maria, Siti, Dara"),
               _split("Tran, Htun, Santos, Reyes, Santoso, Rahman, Sok, Dela Cruz")),
    "southasia": (_split("Rahul, Imran, Arif, Sanjay, Kamal, Rizwan, Prakash, Tariq"),
                  _split("Priya, Ayesha, Sana, Nasreen, Lakshmi, Farzana"),
                  _split("Sharma, Khan, Hussain, Kumar, Ahmed, Perera, Chowdhury, Baloch, "
                         "Singh, Fernando")),
    "eastafrica": (_split("Abdi, Daniel, Joseph, Dawit, Samuel, Moses, Hassan"),
                   _split("Amina, Grace, Hiwot, Faith, Halima"),
                   _split("Mohamed, Ochieng, Tesfaye, Mugisha, Kiprono, Farah, Nsubuga")),
    "westafrica": (_split("Chinedu, Kwame, Ibrahim, Emmanuel, Musa, Kofi, Alieu"),
                   _split("Ngozi, Ama, Fatou, Blessing, Aminata"),
                   _split("Okafor, Mensah, Bello, Adeyemi, Jallow, Sesay, Boateng")),
    "southafrica": (_split("Tendai, Blessed, Themba, Chanda, Jacob"),
                    _split("Rutendo, Thandiwe, Mercy, Chipo"),
                    _split("Moyo, Ncube, Banda, Phiri, Dube, Mutasa")),
    "europe": (_split("Marco, Stefan, Milan, Tomasz, Nikos, Ján, Peter, Dardan"),
               _split("Daphne, Ivana, Agnieszka, Sofia, Jelena, Katalin"),
               _split("Novak, Kovács, Rossi, Papadopoulos, Kowalski, Petrović, Hoxha, "
                      "Walsh")),
}

OUTLETS: dict[str, tuple[str, ...]] = {
    "latam": _split("El Heraldo, La Voz del Sur, Noticias del Pacífico, El Observador, "
                    "Radio Libertad, Diario La Frontera"),
    "arab": _split("Al-Fajr|الفجر, Al-Masar|المسار, Al-Watan al-Jadid|الوطن الجديد, "
                   "Al-Sabah|الصباح, Sada al-Balad|صدى البلد, Al-Manara|المنارة"),
    "slavic": _split("Novaya Volna|Новая волна, Svobodnoye Slovo|Свободное слово, "
                     "Vecherny Vestnik|Вечерний вестник, Golos Regiona|Голос региона"),
    "caucasus": _split("Azadliq Vesti|Азадлыг Вести, Meydan Press|Мейдан Пресс"),
    "central": _split("Svobodnaya Step|Свободная степь, Respublika Times|Республика Таймс, "
                      "Nash Gorod|Наш город"),
    "franco": _split("Le Phare, La Tribune du Peuple, L'Écho des Grands Lacs, Radio Liberté, "
                     "Le Messager"),
    "default": _split("Daily Monitor, Independent Voice, Sunrise Radio, Clarion, "
                      "Evening Herald, Citizen TV, Frontline Weekly, Voice of the Valley"),
}

OUTLET_KINDS: tuple[str, ...] = ("daily", "daily", "weekly", "radio", "tv", "website")


def latin(entry: str) -> str:
    """The Latin-script form of a name entry."""
    return entry.split("|")[0]


def in_script(entry: str, language: str) -> str:
    """The form of a name entry for an alert in ``language`` (Arabic or Cyrillic when known)."""
    parts = entry.split("|")
    if language in ("ar", "ru") and len(parts) > 1:
        return parts[1]
    return parts[0]
