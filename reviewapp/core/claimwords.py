"""The English words and phrases behind each check-worthiness reason (`core/checkworthy.py`).

Sets of lower-case words and of two- and three-word phrases, looked up in a sentence's words
(a set lookup per word is what keeps a 100,000-word article well under half a second; the same
lists as case-insensitive regular expressions took 1.5 s). STEMS are word beginnings that count
with any ending ("increas" for increase, increased, increasingly).
"""

from __future__ import annotations


def _split(words: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in words.split())


# Not "one": it is a pronoun as often as a number ("one of them", "with one hand").
FIGURE_WORDS = _split(
    """two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
    forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions
    billion billions trillion trillions dozen dozens half quarter double triple twice
    percent first third fourth fifth sixth seventh eighth ninth tenth
    dollar dollars euro euros pound pounds yuan rupee rupees
    january february april june july august september october november december
    jan feb aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    meter meters metre metres kilometer kilometers kilometre kilometres mile miles km kg
    ton tons tonne tonnes acre acres hectare hectares hour hours minute minutes days weeks
    months years decade decades century centuries seasons"""
)
FIGURE_PHRASES = _split(
    """per_cent a_third two_thirds last_week last_month last_year last_season this_week
    this_month this_year next_week next_month next_year the_second"""
)
# "May" and "March" are months only with their capital (the words "may", "march" are not).
CAPITAL_MONTHS = ("May", "March")

ATTRIBUTION_WORDS = _split(
    """said says say told tells reported reportedly reports announced announces stated wrote
    writes added claimed claims confirmed denied admitted estimated argued warned testified
    insisted acknowledged revealed source sources study survey research researchers
    spokesman spokeswoman spokesperson official officials recounted commented noted cited
    ordered explained expert experts analyst analysts economist economists scientist
    scientists authorities police prosecutors investigators evidence data statistics poll
    polls report filing filings records"""
)
ATTRIBUTION_PHRASES = _split("according_to in_a_statement")

COMPARISON_WORDS = _split(
    """most least largest biggest highest lowest greatest smallest best worst longest
    shortest fastest slowest oldest newest youngest richest poorest deadliest first last only
    record unprecedented leading top nearly almost beat topped outperform outperformed
    outperforms higher lower larger smaller bigger greater fewer cheaper costlier faster
    slower older younger stronger weaker"""
)
COMPARISON_PHRASES = _split(
    """more_than less_than fewer_than higher_than lower_than larger_than smaller_than
    bigger_than greater_than older_than younger_than better_than worse_than at_least all_time
    as_many as_much up_to"""
)

CAUSE_TREND_WORDS = _split(
    """because blamed blames attributed rose rise rises risen rising fell fall falls fallen
    falling drop dropped drops dropping climb climbed climbs climbing grow grows grown growing
    grew halved jump jumped jumps slump slumped slumps gain gained gains lost loss losses cut
    cuts shrank shrunk"""
)
CAUSE_TREND_PHRASES = _split(
    """led_to lead_to leads_to due_to resulted_in result_in results_in resulting_in as_a_result
    driven_by thanks_to linked_to associated_with contributed_to"""
)
CAUSE_TREND_STEMS = (
    "caus", "increas", "decreas", "declin", "doubl", "tripl", "surg", "plung", "soar", "boost",
    "spik", "rall", "slipp", "expand", "accelerat",
)  # fmt: skip

HEDGE_WORDS = _split(
    """reportedly allegedly apparently purportedly possibly presumably likely unlikely"""
)
HEDGE_PHRASES = _split(
    """appear_to appears_to seem_to seems_to may_have might_have could_have"""
) | frozenset(
    f"{be} {verb} to"
    for be in ("is", "are", "was", "were")
    for verb in _split(
        "believed said thought reported expected alleged understood estimated set due"
    )
)

# Opinion markers: these lower a score a lot (a prescription, a belief, an exclamation)...
OPINION_WORDS = _split("""should must imo let's deserve deserves deserved""")
# ...and these a little (first and second person, praise and blame words: a review, a column,
# a quote; a checkable fact in such a sentence still counts).
MILD_OPINION_WORDS = _split(
    """perhaps i'm my your you'll amazing awesome wonderful terrible horrible great fantastic
    beautiful lovely brilliant incredible incredibly adorable cool fun funny"""
)
OPINION_PHRASES = _split(
    """i_think i_believe i_feel i_hope i_guess i_suppose i_love i_hate i_wish i_want we_think
    we_believe we_feel we_hope we_want in_my_opinion in_my_view ought_to need_to have_to"""
)

# Past-tense action verbs ("was" and "had" are not enough: "it was not possible to verify"
# reports nothing). Any other word of six letters or more ending in -ed counts too.
EVENT_WORDS = _split(
    """went came took made gave got found left won lost met began ran held brought bought sold
    paid built sent spent killed died arrested charged convicted sentenced released launched
    signed agreed voted passed resigned elected appointed filed sued closed opened struck shot
    fired hit broke became saw led kept told said used fled"""
)

# Auxiliaries: a name next to one of these is doing something ("NASA is getting criticism").
AUXILIARIES = _split("is are was were has have had did does will would can could")

# Capitalised words that are not names: sentence openers and pronouns.
NOT_NAMES = _split(
    """i a an the this that these those it its he she they we you his her their our my your
    in on at for from with by of to as and but or so yet if when while after before since
    because although though however meanwhile now then there here what who why how where
    which yes no not also still even just only one some many most all both each every
    mr mrs ms dr"""
)

# English function words, and those of the Latin-script languages most often mistaken for it
# (German, Dutch, French, Spanish, Portuguese, Italian, Indonesian) without the words both share.
ENGLISH_STOPWORDS = _split(
    """the of and to for it on was with he she they his her at by be this are from or have has
    had not but were which their its been will would who you we said there what when more can
    about also after into than out up so if all our your them these those my me"""
)
OTHER_STOPWORDS = _split(
    """der das und nicht mit von zu im ein eine auf für ist sich auch dem des wird sind het een
    niet zijn voor ook naar le les des et est une pour dans qui ne pas sur au du avec ce sont
    el la los las y es del al una con por para que se lo su como más de da do em um não os ao
    uma mais com são di che il per non sono della gli delle yang dan ini itu dengan untuk
    tidak dari dalam akan pada juga adalah"""
)
