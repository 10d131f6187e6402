"""English words of the emotion temperature, written for kesu.

Lower-case; matched without regard to case, on word boundaries, leftmost-longest (so "not bad"
and "no problem" are read as phrases before their words). Inflected forms are listed explicitly.
The weights use the same heat units as `emotion_zh`.
"""

from __future__ import annotations

ABUSE: tuple[str, ...] = (
    "bullshit", "fuck", "fucking", "fucked", "wtf", "shit", "shitty", "screw you", "scum", "scumbags",
    "idiots", "idiot", "morons", "moron", "bastards", "bastard", "assholes", "asshole", "garbage", "trash",
    "rubbish", "crooks", "crooked", "thieves", "thief", "liars", "liar", "criminals", "clowns",
)

ACCUSATION: tuple[str, ...] = (
    "scam", "scams", "scammer", "scammers", "scammed", "rip-off", "ripoff", "ripped off", "rip off",
    "robbed", "robbery", "stealing", "stole", "steal", "extortion", "extort",
    "predatory", "harassment", "harassing", "harassed", "lied", "lying", "lies", "cheated", "cheating",
     "deceit", "illegal", "illegally", "unlawful", "unlawfully", "criminal",
    "taking advantage", "took advantage",
)

INDIGNATION: tuple[str, ...] = (
    "furious", "outraged", "outrageous", "outrage", "disgusting", "disgusted", "disgrace", "disgraceful",
    "shameful", "shame on you", "pathetic", "livid", "fed up", "sick of", "sick and tired",
    "enough is enough", "never again", "appalling", "atrocious", "insulting", "insult", "unacceptable",
    "ridiculous", "absurd", "a joke", "how dare", "unbelievable", "infuriating", "infuriated", "enraged",
     "hate", "hated", "worst", "incompetent", "incompetence",
    "zero stars", "beyond frustrated", "extremely frustrated", "fed up with",
)

NEGATIVE_STRONG: tuple[str, ...] = (
    "terrible", "horrible", "awful", "horrendous", "nightmare", "frustrated",
    "frustrating", "frustration", "disappointed", "disappointing", "disappointment", "unhappy",
    "dissatisfied", "upset", "annoyed", "annoying", "irritated", "rude", "rudely", "unprofessional",
    "overcharged", "charged twice", "double charged", "hidden fees", "hidden fee", "cheat", "misleading", "misled",
    "ignored", "ignoring", "hung up", "hang up", "no response", "never responded", "never received",
    "never arrived", "never showed", "still waiting", "still not", "still no", "sucks", "suck",
    "damn", "damned", "crap", "crappy", "inedible", "stale", "spoiled", "rotten", "moldy", "mouldy",
    "food poisoning", "sick", "bad service", "poor service", "terrible service",     "refuse", "refused", "refuses", "refusing", "denied", "nobody cares", "no one cares",
    "waste of time", "waste of money", "complete waste", "ruined", "worthless", "negligent",
    "negligence",
)

NEGATIVE: tuple[str, ...] = (
    "bad", "poor", "poorly", "slow", "slowly", "late", "delayed", "delay", "delays", "wrong",
    "broken", "damaged", "missing", "lost", "cold", "soggy", "burnt", "overpriced", "expensive",
    "complaint", "complaints", "complain", "complained", "complaining", "refund", "refunds",
    "refunded", "money back", "chargeback", "cancel", "cancelled", "canceled", "cancellation",
    "problem", "problems", "issue", "issues", "error", "errors", "failed", "failure", "fails",
    "fault", "faulty", "defective", "not working", "stopped working", "doesn't work", "does not work",
    "didn't work", "outage", "disconnected", "dropped", "waiting", "waited", "hours", "forever",
    "repeatedly", "multiple times", "several times", "three times", "twice", "yet again",
    "unfair", "unreasonable", "unauthorized", "unauthorised", "without my consent", "without consent",
    "dispute", "disputed", "escalate", "escalated", "demand", "demanding", "immediately",
    "unresolved", "worse", "mess", "messed up", "disaster", "confused", "confusing", "hassle",
    "struggle", "struggling", "stressful", "stress", "stressed", "worried", "concerned",
    "unable", "excuse", "excuses",
    "why", "what the", "really?", "junk", "spam",
)

NEGATIVE_MILD: tuple[str, ...] = (
    "again", "still", "only", "please fix", "fix this", "asap",
    "urgent", "urgently", "must", "should have", "supposed to",
)

# a negated positive word listed whole (none needed in English: "not" is matched as a word)
NEGATED: tuple[str, ...] = ()

POSITIVE_STRONG: tuple[str, ...] = (
    "excellent", "great", "amazing", "awesome", "fantastic", "wonderful", "perfect", "perfectly",
    "outstanding", "superb", "brilliant", "delicious", "love", "loved", "lovely", "satisfied",
    "very satisfied", "happy", "delighted", "pleased", "impressed", "thank you so much",
    "thanks a lot", "many thanks", "much appreciated", "highly recommend", "five stars",
    "5 stars", "best", "exceptional",
)

POSITIVE: tuple[str, ...] = (
    "good", "nice", "tasty", "fresh", "fast", "quick", "quickly", "prompt", "promptly", "on time",
    "friendly", "helpful", "polite", "kind", "kindly", "professional", "efficient", "recommend",
    "recommended", "appreciate", "appreciated", "thanks", "thank you", "thank", "enjoy", "enjoyed",
    "resolved", "solved", "fixed", "well done", "no problem", "no problems", "no issues",
    "not bad", "glad", "pleasant", "smooth", "easy", "reliable", "courteous", "patient", "worth",
    "worth it",
)

POSITIVE_MILD: tuple[str, ...] = ("fine", "ok", "okay", "alright", "decent", "fair", "sure", "lol", "haha")

ULTIMATUM: tuple[str, ...] = (
    "you will regret", "you'll regret", "last chance", "final warning", "or else", "otherwise i will",
    "i demand", "i insist", "bad review", "one star", "1 star", "leave a review",
)

THREAT_MILD: tuple[str, ...] = ("file a complaint", "formal complaint", "filed a complaint", "escalating")

CALM: tuple[str, ...] = (
    "could you", "can you tell me", "could you tell me", "i would like to know", "i'd like to know",
    "may i ask", "i was wondering", "wondering", "i have a question", "quick question", "question",
    "how do i", "how can i", "how to", "what time", "opening hours", "business hours",
    "would it be possible", "is it possible",
)
CALM_MILD: tuple[str, ...] = (
    "please", "kindly advise", "hello", "hi", "dear", "good morning", "good afternoon",
    "good evening", "regards", "best regards", "kind regards",
)

INTENSIFIERS: dict[str, float] = {
    "very": 1.3, "extremely": 1.8, "really": 1.3, "so": 1.2, "too": 1.2, "totally": 1.5,
    "completely": 1.5, "absolutely": 1.6, "utterly": 1.8, "super": 1.4, "incredibly": 1.7,
    "highly": 1.3, "such": 1.2, "quite": 1.1, "truly": 1.3, "seriously": 1.4, "beyond": 1.5,
    "most": 1.3, "awfully": 1.5, "terribly": 1.5, "horribly": 1.5, "a bit": 0.6, "slightly": 0.6,
    "somewhat": 0.7, "kind of": 0.7, "a little": 0.6, "a little bit": 0.6,
}

# term: (heat when it negates nothing, factor on the word it flips)
NEGATORS: dict[str, tuple[float, float]] = {
    "not": (0.2, 1.0), "no": (0.2, 1.0), "never": (0.3, 1.2), "nothing": (0.2, 1.0), "none": (0.2, 1.0),
    "neither": (0.0, 1.0), "nor": (0.0, 1.0), "without": (0.0, 1.0), "hardly": (0.2, 1.0),
    "barely": (0.2, 1.0), "don't": (0.0, 1.0), "doesn't": (0.0, 1.0), "didn't": (0.0, 1.0),
    "isn't": (0.0, 1.0), "wasn't": (0.0, 1.0), "aren't": (0.0, 1.0), "weren't": (0.0, 1.0),
    "haven't": (0.0, 1.0), "hasn't": (0.0, 1.0), "hadn't": (0.0, 1.0), "shouldn't": (0.0, 1.0),
    "couldn't": (0.2, 1.0), "not at all": (0.3, 1.5), "not very": (0.2, 0.8), "not that": (0.0, 0.8),
    "not so": (0.0, 0.8), "far from": (0.3, 1.2), "never been": (0.3, 1.2), "not even": (0.5, 1.3),
    "can't": (0.5, 1.0), "cannot": (0.5, 1.0), "won't": (0.5, 1.0), "wouldn't": (0.3, 1.0),
    "nobody": (0.8, 1.0), "no one": (0.8, 1.0), "not one": (0.5, 1.0),
}

CONTRAST: tuple[str, ...] = ("but", "however", "although", "though", "unfortunately", "sadly", "except")

# Neutral phrases listed only so that the words inside them are not matched.
NEUTRAL: tuple[str, ...] = (
    "no longer", "not only", "no matter", "no doubt", "like this", "like that", "looks like",
    "feel like", "would like", "i'd like", "just like", "good night", "good day", "so far", "so that", "so much as", "fair enough",
    "power of attorney", "court of appeals", "food court", "tennis court", "media player",
    "worth of", "in case", "make sure", "outstanding balance", "outstanding debt", "outstanding amount",
    "fair credit", "fair debt", "fair isaac", "fair lending", "late fee", "late fees", "late payment",
    "late payments", "paid late", "to the best of", "best of my knowledge", "best interest",
)
