"""Demonyms and nationality adjectives, the evidence that a MISC mention is a NORP.

The table maps each adjective ("Syrian") and its group nouns ("Syrians", "Turks") to one
canonical adjective and, where the adjective names exactly one country, that country's
ISO-3166 alpha-2 code. Ethnic adjectives without a single country ("Kurdish", "Arab") and
adjectives shared by several countries ("Congolese", "Korean") keep an empty code.
Religious and political labels ("Sunni", "Islamist") are deliberately absent: they are not
nationalities, so such mentions stay MISC.

The data lives in this module rather than a data file so it ships with the code.
"""

from __future__ import annotations

import functools

import polars as pl

from flows.core.entities.gazetteer import name_key_expr

# demonym | country code (empty: none or several) | other forms ("+s": add a plural "s")
_TABLE = """
Afghan|AF|+s
Albanian|AL|+s
Algerian|DZ|+s
American|US|+s
Andorran|AD|+s
Angolan|AO|+s
Argentine|AR|Argentines, Argentinian, Argentinians, Argentinean, Argentineans
Armenian|AM|+s
Australian|AU|+s
Austrian|AT|+s
Azerbaijani|AZ|+s, Azeri, Azeris
Bahamian|BS|+s
Bahraini|BH|+s
Bangladeshi|BD|+s
Barbadian|BB|+s
Belarusian|BY|+s, Belarussian, Belarussians
Belgian|BE|+s
Belizean|BZ|+s
Beninese|BJ|
Bhutanese|BT|
Bolivian|BO|+s
Bosnian|BA|+s
Botswanan|BW|+s
Brazilian|BR|+s
British|GB|Briton, Britons, Brit, Brits
Bruneian|BN|+s
Bulgarian|BG|+s
Burkinabe|BF|
Burmese|MM|
Burundian|BI|+s
Cambodian|KH|+s
Cameroonian|CM|+s
Canadian|CA|+s
Cape Verdean|CV|+s
Central African|CF|+s
Chadian|TD|+s
Chilean|CL|+s
Chinese|CN|
Colombian|CO|+s
Comorian|KM|+s
Congolese||
Costa Rican|CR|+s
Croatian|HR|+s, Croat, Croats
Cuban|CU|+s
Cypriot|CY|+s
Czech|CZ|+s
Danish|DK|Dane, Danes
Djiboutian|DJ|+s
Dominican||+s
Dutch|NL|Dutchman, Dutchmen
Ecuadorian|EC|+s
Egyptian|EG|+s
Emirati|AE|+s
English|GB|Englishman, Englishmen
Equatorial Guinean|GQ|+s
Eritrean|ER|+s
Estonian|EE|+s
Ethiopian|ET|+s
Fijian|FJ|+s
Filipino|PH|+s, Filipina, Filipinas, Philippine
Finnish|FI|Finn, Finns
French|FR|Frenchman, Frenchmen, Frenchwoman, Frenchwomen
Gabonese|GA|
Gambian|GM|+s
Georgian|GE|+s
German|DE|+s
Ghanaian|GH|+s
Greek|GR|+s
Greenlandic|GL|Greenlander, Greenlanders
Grenadian|GD|+s
Guatemalan|GT|+s
Guinean|GN|+s
Bissau-Guinean|GW|+s
Guyanese|GY|
Haitian|HT|+s
Honduran|HN|+s
Hungarian|HU|+s
Icelandic|IS|Icelander, Icelanders
Indian|IN|+s
Indonesian|ID|+s
Iranian|IR|+s
Iraqi|IQ|+s
Irish|IE|Irishman, Irishmen
Israeli|IL|+s
Italian|IT|+s
Ivorian|CI|+s
Jamaican|JM|+s
Japanese|JP|
Jordanian|JO|+s
Kazakh|KZ|+s, Kazakhstani, Kazakhstanis
Kenyan|KE|+s
Korean||+s
Kosovar|XK|+s, Kosovan, Kosovans
Kuwaiti|KW|+s
Kyrgyz|KG|Kyrgyzstani, Kyrgyzstanis
Lao|LA|Laotian, Laotians
Latvian|LV|+s
Lebanese|LB|
Liberian|LR|+s
Libyan|LY|+s
Liechtensteiner|LI|+s
Lithuanian|LT|+s
Luxembourgish|LU|Luxembourger, Luxembourgers
Macedonian|MK|+s, North Macedonian, North Macedonians
Malagasy|MG|
Malawian|MW|+s
Malaysian|MY|+s
Maldivian|MV|+s
Malian|ML|+s
Maltese|MT|
Marshallese|MH|
Mauritanian|MR|+s
Mauritian|MU|+s
Mexican|MX|+s
Micronesian|FM|+s
Moldovan|MD|+s
Monegasque|MC|+s
Mongolian|MN|+s
Montenegrin|ME|+s
Moroccan|MA|+s
Mozambican|MZ|+s
Namibian|NA|+s
Nauruan|NR|+s
Nepali|NP|+s, Nepalese
New Zealander|NZ|+s
Nicaraguan|NI|+s
Nigerien|NE|+s
Nigerian|NG|+s
North Korean|KP|+s
Norwegian|NO|+s
Omani|OM|+s
Pakistani|PK|+s
Palauan|PW|+s
Palestinian|PS|+s
Panamanian|PA|+s
Papua New Guinean|PG|+s
Paraguayan|PY|+s
Peruvian|PE|+s
Polish|PL|Pole, Poles
Portuguese|PT|
Puerto Rican|PR|+s
Qatari|QA|+s
Romanian|RO|+s
Russian|RU|+s
Rwandan|RW|+s
Sahrawi|EH|+s
Salvadoran|SV|+s, Salvadorean, Salvadoreans
Samoan|WS|+s
Saudi|SA|+s, Saudi Arabian, Saudi Arabians
Scottish|GB|Scot, Scots, Scotsman, Scotsmen
Senegalese|SN|
Serbian|RS|+s, Serb, Serbs
Seychellois|SC|
Sierra Leonean|SL|+s
Singaporean|SG|+s
Slovak|SK|+s, Slovakian, Slovakians
Slovenian|SI|+s, Slovene, Slovenes
Somali|SO|+s, Somalian, Somalians
South African|ZA|+s
South Korean|KR|+s
South Sudanese|SS|
Spanish|ES|Spaniard, Spaniards
Sri Lankan|LK|+s
Sudanese|SD|
Surinamese|SR|
Swazi|SZ|+s
Swedish|SE|Swede, Swedes
Swiss|CH|
Syrian|SY|+s
Taiwanese|TW|
Tajik|TJ|+s, Tajikistani, Tajikistanis
Tanzanian|TZ|+s
Thai|TH|+s
Togolese|TG|
Tongan|TO|+s
Trinidadian|TT|+s
Tunisian|TN|+s
Turkish|TR|Turk, Turks
Turkmen||
Tuvaluan|TV|+s
Ugandan|UG|+s
Ukrainian|UA|+s
Uruguayan|UY|+s
Uzbek|UZ|+s, Uzbekistani, Uzbekistanis
Vanuatuan|VU|+s
Venezuelan|VE|+s
Vietnamese|VN|
Welsh|GB|Welshman, Welshmen
Yemeni|YE|+s, Yemenite, Yemenites
Zambian|ZM|+s
Zimbabwean|ZW|+s
Arab||+s, Arabian
Assyrian||+s
Baloch||Balochi, Baluch, Baluchi
Basque||+s
Berber||+s, Amazigh
Catalan||+s
Chechen||+s
Circassian||+s
Kurdish||Kurd, Kurds
Pashtun||+s
Persian||+s
Tamil||+s
Tatar||+s
Tibetan||+s
Uyghur||+s, Uighur, Uighurs
African||+s
Asian||+s
European||+s
Latin American||+s
Soviet||+s
"""

DEMONYM_SCHEMA = pl.Schema(
    {"key": pl.String, "demonym": pl.String, "demonym_country_code": pl.String}
)


def _rows() -> list[tuple[str, str, str | None]]:
    """Expand the table into (form, canonical demonym, country code or None) rows."""
    rows: list[tuple[str, str, str | None]] = []
    for line in _TABLE.strip().splitlines():
        demonym, code, extra = line.split("|")
        forms = [demonym]
        for form in filter(None, (part.strip() for part in extra.split(","))):
            forms.append(demonym + "s" if form == "+s" else form)
        rows.extend((form, demonym, code or None) for form in forms)
    return rows


@functools.lru_cache(maxsize=1)
def demonyms() -> pl.DataFrame:
    """One row per normalized demonym form, ready to join on a mention's name key."""
    frame = pl.DataFrame(_rows(), schema=["form", "demonym", "demonym_country_code"], orient="row")
    return (
        frame.with_columns(key=name_key_expr(pl.col("form")))
        .unique("key", keep="first", maintain_order=True)
        .select(DEMONYM_SCHEMA.names())
        .cast(dict(DEMONYM_SCHEMA))
    )
