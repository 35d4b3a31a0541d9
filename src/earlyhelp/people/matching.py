"""Name normalisation and nicknames for "already known?" search and duplicate checks."""

import unicodedata
from functools import lru_cache

# Common English given-name variants, both ways (a nickname finds the formal name).
NICKNAMES: dict[str, set[str]] = {}
_GROUPS = [
    {"william", "will", "bill", "billy", "liam", "willie"},
    {"robert", "rob", "bob", "bobby", "robbie", "bert"},
    {"elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "ellie"},
    {"margaret", "maggie", "peggy", "meg", "maisie"},
    {"katherine", "catherine", "kate", "katie", "cathy", "kathy", "kat", "kitty"},
    {"thomas", "tom", "tommy"},
    {"james", "jim", "jimmy", "jamie"},
    {"john", "jack", "johnny", "jon"},
    {"jonathan", "jon", "jonny"},
    {"michael", "mike", "mickey", "mick"},
    {"richard", "rich", "rick", "ricky", "dick"},
    {"edward", "ed", "eddie", "ted", "teddy", "ned"},
    {"alexander", "alex", "alec", "sandy", "xander"},
    {"alexandra", "alex", "lexi", "sandra", "sasha"},
    {"charles", "charlie", "chaz", "chas"},
    {"charlotte", "charlie", "lottie", "lotte"},
    {"daniel", "dan", "danny"},
    {"joseph", "joe", "joey"},
    {"samuel", "sam", "sammy"},
    {"samantha", "sam", "sammy"},
    {"benjamin", "ben", "benny"},
    {"christopher", "chris", "kit"},
    {"christine", "chris", "chrissie", "tina"},
    {"matthew", "matt", "matty"},
    {"nicholas", "nick", "nicky"},
    {"nicola", "nicky", "nikki"},
    {"anthony", "tony", "ant"},
    {"andrew", "andy", "drew"},
    {"steven", "stephen", "steve", "stevie"},
    {"rebecca", "becky", "becca"},
    {"jessica", "jess", "jessie"},
    {"victoria", "vicky", "tori"},
    {"jennifer", "jen", "jenny"},
    {"susan", "sue", "susie"},
    {"deborah", "debbie", "deb"},
    {"patricia", "pat", "patty", "trish"},
    {"abigail", "abby", "abbie", "gail"},
    {"oliver", "ollie", "olly"},
    {"olivia", "liv", "livvy"},
    {"harry", "harold", "henry", "hal"},
    {"frederick", "fred", "freddie", "freddy"},
    {"isabella", "isabel", "izzy", "bella"},
    {"amelia", "millie", "amy"},
    {"emily", "em", "emmy"},
    {"lucas", "luke"},
    {"joshua", "josh"},
    {"zachary", "zach", "zack"},
    {"nathaniel", "nathan", "nate", "nat"},
    {"gabriel", "gabe"},
    {"sophia", "sophie"},
    {"georgina", "georgie", "gina"},
    {"mohammed", "muhammad", "mohammad", "mohamed", "mo"},
]
for _group in _GROUPS:
    for _name in _group:
        NICKNAMES.setdefault(_name, set()).update(_group - {_name})


# Pure functions of a name, asked for each of a search's hundreds of candidates, whose names repeat.
@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(char if char.isalnum() else " " for char in text.lower())
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def name_variants(first_name: str) -> frozenset[str]:
    name = normalise_name(first_name)
    return frozenset({name, *NICKNAMES.get(name, set())}) if name else frozenset()
