"""Generate intents.tsv and ner.jsonl (fixed seed) from templates and lists.

    python3 model/heads/testdata/make_data.py

Offsets in ner.jsonl are Unicode code point offsets (as in HF datasets); the
script checks every span against its text before writing.
"""
import json
import os
import random

R = random.Random(20240601)
HERE = os.path.dirname(os.path.abspath(__file__))

PRODUCTS = ["headphones", "running shoes", "coffee maker", "phone case", "winter jacket", "laptop stand",
            "blender", "desk lamp", "yoga mat", "backpack", "smart watch", "air fryer", "keyboard", "sofa cover"]
ORDER = ["order", "package", "parcel", "purchase", "delivery"]
NUM = lambda: "#" + str(R.randint(10000, 99999))
WHEN = ["last week", "yesterday", "on Monday", "three days ago", "two weeks ago", "this morning", "on the 3rd"]

INTENTS = {
    "order_status": [
        "where is my {o}?", "can you tell me where my {o} {n} is", "my {o} hasn't arrived yet, I ordered it {w}",
        "has my {p} shipped?", "any update on {o} {n}?", "I'm still waiting for the {p} I bought {w}",
        "how do I track my {o}", "tracking says in transit for days, where is my {p}?",
        "when will my {p} be delivered", "is {o} {n} on its way?", "what's the status of my {o}",
    ],
    "refund_request": [
        "I want my money back for the {p}", "how do I get a refund for {o} {n}?", "please refund the {p} I returned {w}",
        "I returned the {p} but still no refund", "can I get a refund instead of store credit", "refund for a damaged {p} please",
        "when will my refund be processed?", "I was promised a refund {w} and nothing yet", "how long do refunds take to show up",
        "the {p} was faulty, I'd like a full refund",
    ],
    "cancel_order": [
        "please cancel my {o} {n}", "I need to cancel the {p} I ordered {w}", "can I still cancel my {o}?",
        "cancel order {n}, I changed my mind", "how do I cancel an order before it ships", "I ordered the wrong {p} by mistake, cancel it",
        "stop my {o} from being sent", "is it too late to cancel {o} {n}?", "I don't want the {p} anymore, cancel please",
    ],
    "change_address": [
        "I need to change the delivery address for {o} {n}", "can I update my shipping address?", "I moved, how do I change my address",
        "wrong address on my {o}, can you fix it", "please send the {p} to my work address instead", "how do I edit the address on an order",
        "my {o} is going to my old flat, can you redirect it", "change the postcode on {o} {n}", "can I add a new delivery address to my account",
    ],
    "payment_issue": [
        "my card was declined when buying the {p}", "I was charged twice for {o} {n}", "payment failed but money left my account",
        "why was my card charged {w}?", "can I pay with PayPal?", "the checkout won't accept my credit card",
        "there's a charge I don't recognise on my statement", "I got billed for an order I cancelled", "do you accept Apple Pay or Google Pay",
        "my voucher code isn't working at checkout",
    ],
    "account_login": [
        "I can't log in to my account", "forgot my password, how do I reset it", "the password reset email never arrived",
        "my account is locked after too many attempts", "how do I change the email on my account", "I keep getting an error when signing in",
        "can I delete my account?", "two-factor code isn't coming through", "how do I update my username", "someone else may have accessed my account",
    ],
    "shipping_cost": [
        "how much is shipping to Canada?", "do you offer free delivery?", "what does express shipping cost", "is there free shipping over a certain amount",
        "why is delivery so expensive for a {p}?", "do you ship internationally and how much", "how much to ship a {p} to Ireland",
        "is next day delivery available and what's the price", "are there delivery charges for returns?",
    ],
    "product_availability": [
        "is the {p} back in stock?", "when will you restock the {p}", "do you have the {p} in black?", "is the {p} available in a larger size",
        "can I pre-order the new {p}", "the {p} says sold out, will it come back?", "do you sell replacement parts for the {p}",
        "is the {p} available in stores or only online", "notify me when the {p} is available",
    ],
    "complaint": [
        "the {p} arrived broken", "your courier left my {o} in the rain", "I'm really unhappy with the service I got {w}",
        "the {p} looks nothing like the photos", "the quality of this {p} is terrible", "the delivery driver was rude",
        "I've been on hold for an hour, this is unacceptable", "wrong item in my {o}, I ordered a {p}", "the {p} stopped working after two days",
        "I want to make a formal complaint",
    ],
    "warranty": [
        "is the {p} covered by warranty?", "how long is the warranty on the {p}", "my {p} broke after eight months, is that under guarantee",
        "how do I make a warranty claim", "does the warranty cover accidental damage", "can I extend the warranty on my {p}",
        "do I need the receipt for a warranty repair", "will you repair or replace a {p} under warranty",
    ],
}

def fill(t):
    return t.format(p=R.choice(PRODUCTS), o=R.choice(ORDER), n=NUM(), w=R.choice(WHEN))

def vary(s):
    r = R.random()
    if r < 0.15:
        s = s[0].upper() + s[1:]
    elif r < 0.25:
        s = "hi, " + s
    elif r < 0.32:
        s = s + " thanks"
    elif r < 0.37:
        s = "hello " + s.rstrip("?") + "?"
    return s

def intents():
    rows = []
    for label, templates in INTENTS.items():
        seen = set()
        while len(seen) < 34:
            seen.add(vary(fill(R.choice(templates))))
        rows += [(label, s) for s in sorted(seen)]
    R.shuffle(rows)
    with open(os.path.join(HERE, "intents.tsv"), "w") as f:
        for label, s in rows:
            f.write(f"{label}\t{s}\n")
    return len(rows)

PER = ["Angela Merkel", "Barack Obama", "Marie Curie", "Lionel Messi", "Taylor Swift", "Elon Musk", "Serena Williams",
       "José Mourinho", "Greta Thunberg", "Satya Nadella", "Emma Watson", "Kylian Mbappé", "Jacinda Ardern", "Tim Cook",
       "Ada Lovelace", "Haruki Murakami", "Priya Sharma", "Olaf Scholz", "Chen Wei", "Fatima Al-Sayed", "John Smith", "Anna Novak",
       "Sundar Pichai", "Rafael Nadal", "Zadie Smith", "Mohamed Salah", "Ursula von der Leyen", "Bill Gates", "Frida Kahlo", "Pedro Sánchez"]
LOC = ["Paris", "Berlin", "New York", "Tokyo", "São Paulo", "Nairobi", "London", "Madrid", "Sydney", "Toronto", "Mumbai",
       "the Alps", "California", "Bavaria", "Lake Geneva", "Cairo", "Buenos Aires", "Istanbul", "Seoul", "Lagos", "Oslo",
       "Mexico City", "Dublin", "Vienna", "Cape Town", "Texas", "Sicily", "the Sahara", "Reykjavík", "Kyoto"]
ORG = ["Google", "the United Nations", "Microsoft", "Siemens", "the BBC", "Real Madrid", "NASA", "Toyota", "Amazon",
       "the European Commission", "Apple", "Greenpeace", "Deutsche Bank", "Harvard University", "the World Health Organization",
       "Nestlé", "Airbus", "FC Barcelona", "Reuters", "Samsung", "UNICEF", "Spotify", "the Red Cross", "IKEA", "Tesla", "Oxfam"]
MISC = ["Olympics", "Nobel Prize", "World Cup", "Christmas", "Brexit", "Euro 2024", "Ramadan", "Oscars", "Tour de France",
        "Python", "iPhone", "Grammy", "German", "French", "Japanese", "Champions League", "Wimbledon", "Eurovision", "Android", "COVID-19"]
LISTS = {"PER": PER, "LOC": LOC, "ORG": ORG, "MISC": MISC}

SENTS = [
    "{PER} visited {LOC} last week.", "{PER} has joined {ORG} as an adviser.", "{ORG} announced a new office in {LOC}.",
    "{PER} spoke about the {MISC} at a press conference in {LOC}.", "Fans in {LOC} celebrated as {ORG} won the {MISC}.",
    "According to {ORG}, prices in {LOC} rose sharply this year.", "{PER} and {PER} met in {LOC} on Tuesday.",
    "The {MISC} will be held in {LOC} next summer.", "{ORG} hired {PER} to lead its research team.",
    "Yesterday {PER} criticised {ORG} for its handling of the crisis.", "A spokesperson for {ORG} declined to comment.",
    "{PER} grew up near {LOC} before moving to {LOC}.", "Shares of {ORG} fell after the {MISC} announcement.",
    "Tickets for the {MISC} sold out within minutes, {ORG} said.", "In an interview, {PER} praised the {MISC} organisers.",
    "{ORG} and {ORG} signed a partnership in {LOC}.", "The {MISC} community in {LOC} is growing fast.",
    "{PER} is expected to arrive in {LOC} on Friday.", "Heavy snow closed roads across {LOC} overnight.",
    "{PER} thanked {ORG} after receiving the {MISC}.", "Officials from {ORG} travelled to {LOC} to meet {PER}.",
    "Most {MISC} speakers live outside {LOC}.", "{ORG} will open its first store in {LOC} in May.",
    "My sister works for {ORG} in {LOC}.", "Did you see {PER} at the {MISC} ?", "{PER} left {ORG} after ten years.",
    "The report by {ORG} was published on Monday.", "We flew from {LOC} to {LOC} with two kids.",
    "Nobody expected {PER} to win the {MISC} this year.", "It rained all weekend, so we stayed home.",
    "The meeting was postponed until next month.", "Prices went up again in March.",
]

def ner():
    rows = []
    seen = set()
    while len(rows) < 330:
        template = R.choice(SENTS)
        text, spans = "", []
        rest = template
        while "{" in rest:
            pre, _, tail = rest.partition("{")
            label, _, rest = tail.partition("}")
            text += pre
            name = R.choice(LISTS[label])
            spans.append({"start": len(text), "end": len(text) + len(name), "label": label})
            text += name
        text += rest
        if text in seen:
            continue
        seen.add(text)
        for s in spans:  # the check the brief asks for: offsets point at the entity text
            assert text[s["start"]:s["end"]] in LISTS[s["label"]], (text, s)
        rows.append({"text": text, "spans": spans})
    with open(os.path.join(HERE, "ner.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)

if __name__ == "__main__":
    print("intents", intents(), "ner", ner())
