"""Latin words inside Chinese, said the way people in Taiwan say them.

Taiwanese writing mixes brands and acronyms into Chinese all the time. Read by spelling rules,
"YouBike" comes out as something like "yo-bick"; people say "you bike". Each entry here is the
English a speaker would say, which the English G2P then reads; a word not listed is read by the
English G2P as it is written (acronyms in capitals letter by letter, see ``spoken_latin``).
Users add their own with a lexicon; this list only covers what everybody meets.
"""

from __future__ import annotations

import re

# As written (case-sensitive, like lexicon graphemes) -> as said.
KNOWN = {
    "YouBike": "you bike",
    "Ubike": "you bike",
    "uBike": "you bike",
    "LINE": "line",
    "iPhone": "eye phone",
    "iPad": "eye pad",
    "iOS": "eye O S",
    "macOS": "mac O S",
    "AirPods": "air pods",
    "7-11": "seven eleven",
    "7-ELEVEN": "seven eleven",
    "USB": "U S B",
    "Wi-Fi": "wifi",
    "WiFi": "wifi",
    "wifi": "wifi",
    "App": "app",
    "APP": "app",
    "app": "app",
    "PChome": "P C home",
    "momo": "momo",
    "Uber": "oober",
    "Uber Eats": "oober eats",
    "foodpanda": "food panda",
    "Gogoro": "go go ro",
    "ASUS": "ay suss",
    "Acer": "ay sir",
    "HTC": "H T C",
    "TSMC": "T S M C",
    "MRT": "M R T",
    "HSR": "H S R",
    "ETC": "E T C",
    "ATM": "A T M",
    "KTV": "K T V",
    "CEO": "C E O",
    "AI": "A I",
    "OK": "okay",
    "ok": "okay",
    "Email": "e-mail",
    "email": "e-mail",
    "Google": "google",
    "YouTube": "you tube",
    "Facebook": "face book",
    "Instagram": "insta gram",
    "IG": "I G",
    "FB": "F B",
    "PTT": "P T T",
    "Dcard": "D card",
    "Netflix": "net flix",
    "Costco": "cost co",
    "IKEA": "ikea",
    "NBA": "N B A",
    "MLB": "M L B",
    "PDF": "P D F",
    "PPT": "P P T",
    "Excel": "excel",
    "Word": "word",
    "COVID-19": "covid nineteen",
    "5G": "five G",
    "4G": "four G",
    "3C": "three C",
    "Q&A": "Q and A",
    "DIY": "D I Y",
    "SOP": "S O P",
    "VIP": "V I P",
    "LED": "L E D",
    "GPS": "G P S",
    "PM2.5": "P M two point five",
}

_ACRONYM = re.compile(r"[A-Z]{2,5}")


def spoken_latin(word: str) -> tuple[str, bool]:
    """What to say for a Latin word inside Chinese, and whether the list knew it. An acronym
    not listed (two to five capitals) is spelled out, as Taiwan says them."""
    said = KNOWN.get(word)
    if said is not None:
        return said, True
    if _ACRONYM.fullmatch(word):
        return " ".join(word), False
    return word, False
