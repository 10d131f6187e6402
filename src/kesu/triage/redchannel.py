"""Red channel (红色预警): a complaint that needs an answer within 30 minutes, with the evidence.

`red_channel_detect(text)` finds the terms of `triage/lexicon/red_channel.py` (Chinese and English),
reads each one in its context and keeps it as evidence only when it says what the red channel is
for: acute danger to someone's safety or health, people acting together, or the customer's own
media, regulator or legal step — threatened, or taken now. Every term it finds and does not keep
is returned too (`dismissed`, with why), so a handler can see what was weighed.

How one term is read (its sentence runs to the next 。！？；/.!?; its clause to the next ，,：:):

1. **A word, not part of one.** A Chinese term of two or three characters must start and end on
   jieba's word boundaries in a small window around it: "司法" is not in "公司法人", "报社" not in "并报社区", "工商" not in
   "工商银行". English terms match whole words; numbers whole numbers ("12315" is not in an order
   number). Longer look-alikes are listed as blockers ("集体企业", "报警器", "fire station").
2. **Negated** in its clause ("没有人受伤", "不会去曝光", "I'm not going to sue") → dismissed.
3. **Safety** (`incident` terms: 起火, 触电, 中毒, 不想活了, "caught fire" …) counts where it stands,
   unless the clause is insurance or policy text ("住院保险金", "意外身故") or advice ("谨防触电").
4. **The other side acting** → dismissed: a threat verb or the other party speaking before the term
   in its sentence ("催收威胁说要起诉", "他们说要把我的征信上交人民银行"), something received
   ("收到律师函", "被起诉"), the customer as the object ("立案我", "sue me"), or told to do it
   ("让我报警", "told me to call the police").
5. **Advice or policy** → dismissed: "不要理会或打110报警", "如遇…请报警", "交由公安机关依法处理",
   "根据…规定", "you can contact the CFPB".
6. **History** told as background → dismissed: "之前打过12315都没有处理", "previously filed", unless
   the clause speaks of now ("已经", "再", "将", "现在").
7. **A question** ("可以起诉吗", "can I sue?") → dismissed: asking is not acting.
8. What is left counts by its tier: an `act` ("起诉", "报警", "曝光", "集体投诉", "sue") counts; a
   `noun` ("律师", "法院", "银保监会", "记者", "the press") counts only when the customer turns to
   it — an escalation verb next to it ("向…投诉", "找律师", "…介入", "contact the press") or the
   customer's intent in its clause; a `channel` (a hotline or complaint platform a letter is often
   addressed to: "12345", "市长热线", "黑猫投诉") only as an explicit threat ("再不处理我就打12345"),
   never as the letter's addressee ("恳请12345帮忙解决").
9. **Crowds**: a number of people ("几十个业主", "200多户", "dozens of customers") counts only with a
   collective action in the same sentence ("…一起去售楼处维权", "…will join a class action").

Pure and fast: one trie scan of the text, a few regexes per term found, jieba on a 14-character
window per Chinese term found (most texts have none); ~15 µs for a short review, ~50–150 µs for a
complaint that names several terms, on one core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kesu.triage.lexicon import TermScanner, red_channel, text_lower

RED_KINDS = red_channel.KINDS

# Why a term found was not kept (message ids in triage/messages.py: "triage.red.dismissed.<why>").
NOT_A_WORD = "not_a_word"
NEGATED = "negated"
OTHER_SIDE = "other_side"
ADVICE = "advice"
POLICY = "policy"
HISTORY = "history"
QUESTION = "question"
ADDRESSEE = "addressee"
NO_STEP = "no_step"
NO_ACTION = "no_action"
DISMISSALS = (NOT_A_WORD, NEGATED, OTHER_SIDE, ADVICE, POLICY, HISTORY, QUESTION, ADDRESSEE, NO_STEP, NO_ACTION)


@dataclass(frozen=True, slots=True)
class RedEvidence:
    kind: str  # 'safety' | 'group_incident' | 'media' | 'regulator' | 'legal'
    term: str  # the matched text, as written
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedDismissed:
    """A term that was found and not kept, and why (one of `DISMISSALS`)."""

    kind: str
    term: str
    start: int
    end: int
    why: str


@dataclass(frozen=True, slots=True)
class RedChannel:
    flagged: bool
    evidence: list[RedEvidence] = field(default_factory=list)
    dismissed: list[RedDismissed] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """The kinds found, in the order of `RED_KINDS`."""
        found = {evidence.kind for evidence in self.evidence}
        return [kind for kind in RED_KINDS if kind in found]


# --- the lexicon, compiled ------------------------------------------------------------------------


def _term_table() -> dict[str, tuple[str, str] | None]:
    table: dict[str, tuple[str, str] | None] = {}
    for blocker in red_channel.BLOCKERS:
        table[" ".join(blocker.lower().split())] = None
    for (kind, tier), terms in red_channel.TERMS.items():
        for term in terms:
            table.setdefault(" ".join(term.lower().split()), (kind, tier))
    return table


_TERM = _term_table()
_SCANNER = TermScanner(_TERM)
_PATTERNS = [(kind, tier, re.compile(pattern)) for kind, tier, pattern in red_channel.PATTERNS]
_PATTERN_HINT = re.compile(r"11[09]|120|[吃喝用服][了完过后下]|[被遭挨].{0,6}住院|追究|hospital|\ber\b|emergency", re.I)
_CROWD_ZH = re.compile(red_channel.CROWD_ZH)
_CROWD_EN = re.compile(red_channel.CROWD_EN)
_COLLECTIVE_ZH = re.compile(red_channel.COLLECTIVE_ACTION_ZH)
_COLLECTIVE_EN = re.compile(red_channel.COLLECTIVE_ACTION_EN)
_CROWD_HINT = re.compile(r"[0-9十百千万][余多来几]?\s*[个名位户家]?\s*[人户业用客消居村家学会员工受投储乘租住借车同农]"
                         r"|dozens|hundreds|thousands|scores|many|several|group", re.I)


def _alternation(words: tuple[str, ...], *, regex: bool = False) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(word if regex else re.escape(word) for word in ordered)


def _zh(words: tuple[str, ...], *, regex: bool = False) -> re.Pattern[str]:
    return re.compile(_alternation(words, regex=regex))


def _en(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z'])(?:" + _alternation(words) + r")(?![a-z])")


_INTENT_ZH = re.compile(
    red_channel.FIRST_PERSON_ZH + "|" + red_channel.CUSTOMER_THIRD_PERSON_ZH + "|" + _alternation(red_channel.INTENT_ZH)
)
_SUBJECT_ZH = re.compile(red_channel.FIRST_PERSON_ZH + "|" + red_channel.CUSTOMER_THIRD_PERSON_ZH)
_CUSTOMER_ZH = re.compile(red_channel.CUSTOMER_THIRD_PERSON_ZH)
_OBJECT_POSITION = frozenset("让叫要逼给对向把将使令帮替被跟和与")
_INTENT_EN = _en(red_channel.INTENT_EN)
_OTHER_SPEECH_ZH = re.compile(_alternation(red_channel.OTHER_SPEECH_ZH) + "|" + red_channel.OTHER_SPEAKER_ZH)
_OTHER_PARTY_ZH = _zh(red_channel.OTHER_PARTY_ZH)
_OTHER_EN = _en(red_channel.OTHER_SIDE_EN)
_OTHER_OWNED_ZH = re.compile(red_channel.OTHER_OWNED_ZH)
_DONE_TO_ME_ZH = re.compile(red_channel.DONE_TO_ME_ZH)
_SPEAKER_AFTER_ZH = re.compile(red_channel.SPEAKER_AFTER_ZH)
_APPEAL_ZH = re.compile(red_channel.APPEAL_ZH)
_APPEAL_TO_BODY_ZH = re.compile(red_channel.APPEAL_TO_BODY_ZH)
_INTERVENE_ZH = re.compile(red_channel.INTERVENE_ZH)
_SENSES_ZH = {term: re.compile(pattern) for term, pattern in red_channel.SENSES_ZH.items()}
# something done to the customer, right before the term ("收到律师函", "被起诉", "让我报警")
_RECEIVED_ZH = re.compile(
    r"(?:被|遭|遭到|收到|接到|给我发|发给我|寄给我|寄到我|给我寄|让我|叫我|要我|建议我|劝我|告诉我|说让|说叫|让|叫)"
    r"(?:了|过|去|到|找|向|的|一份|一封|封|份|个|所谓的?|什么|他们的|法院的|对方的|[\u4e00-\u9fff]{0,2}的)*$"
)
_FAKE_ZH = re.compile(r"(?:虚假|假的?|冒充|伪造|谎称|所谓的?)(?:的)?$")
_OBJECT_ZH = re.compile(r"^(?:了|过|到|给|对)?(?:" + _alternation(red_channel.OTHER_OBJECT_ZH) + ")")
_MY_EN = re.compile(r"\b(?:my|our)\s+(?:own\s+)?$")  # "my lawyer": the customer's own
_AGAINST_YOU_EN = re.compile(r"^\s*(?:against|on)\s+(?:you|your|the bank|the company|them)\b")
_THEIR_EN = re.compile(r"\b(?:their|his|her|its|the (?:company|bank|collector|lender|creditor|agency)'s)\s+$")
_OBJECT_EN = re.compile(r"^\s*(?:me|us|my\s+(?:wife|husband|family|parents)|him|her)\b")
_ADVICE_ZH = _zh(red_channel.ADVICE_ZH)
_TELL_OTHER_ZH = _zh(red_channel.TELL_OTHER_ZH)
_ADVICE_EN = _en(red_channel.ADVICE_EN)
_POLICY_ZH = _zh(red_channel.POLICY_ZH, regex=True)
_INSURANCE_ZH = _zh(red_channel.INSURANCE_ZH)
_HISTORY_ZH = _zh(red_channel.HISTORY_ZH, regex=True)
_HISTORY_FAILED_ZH = re.compile(red_channel.HISTORY_FAILED_ZH)
_PRESENT_ZH = _zh(red_channel.PRESENT_ZH)
_DONE_BEFORE_ZH = re.compile(r"^[^，。！？；]{0,4}?过(?![来去了])")  # "打12378投诉过": done once, before
_HISTORY_EN = _en(red_channel.HISTORY_EN)
_PRESENT_EN = _en(red_channel.PRESENT_EN)
_ESCALATE_BEFORE_ZH = re.compile(
    "(?:" + _alternation(red_channel.ESCALATE_BEFORE_ZH) + r")[\u4e00-\u9fffa-z0-9]{0,5}$"
)
_ESCALATE_AFTER_ZH = re.compile(r"^(?:[^说让叫告，。]{0,3}?)(?:" + _alternation(red_channel.ESCALATE_AFTER_ZH) + ")")
_ESCALATE_EN = _en(red_channel.ESCALATE_EN)
_ADDRESSEE_EN = re.compile(r"\b(?:this complaint|this letter|this is a complaint|dear|hope|please help|thank)\b")
_QUESTION_ZH = re.compile(r"请问|是否|能否|可否|可不可以|能不能|可以吗|行吗|有用吗|怎么(?:办|做|写|走)|如何")
_QUESTION_EN = re.compile(r"^\s*(?:can|could|should|may|do|does|is|are|how)\b[^?]*\?")
_THREAT_CONDITION_ZH = re.compile(r"再不|否则|不然|如果|如不|若不|若再|如再|要是|倘若|假如|我要|我会|我将|我就|就去|就向|就打")
_THREAT_CONDITION_EN = re.compile(r"\b(?:if|unless|otherwise|or else|i will|i'll|i am going to|i'm going to)\b")

_NEGATED_ZH = re.compile(
    "(?:" + _alternation(red_channel.NEGATION_CUES_ZH) + r")\s*(?:(?:"
    + _alternation(red_channel.NEGATION_FILLERS_ZH) + r")\s*){0,4}$"
)
_NEGATED_EN = re.compile(
    r"(?:\b(?:" + _alternation(tuple(c for c in red_channel.NEGATION_CUES_EN if c != "n't")) + r")\b|n't)"
    r"(?:\s+(?:" + _alternation(red_channel.NEGATION_FILLERS_EN) + r")\b){0,5}\s*$"
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)|\s{3,}")
_CLAUSE_END = re.compile(r"[，,：:、…“”\"（）()]|\s{2,}|(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WINDOW = 80  # characters of a sentence looked at before a term


# --- word boundaries (jieba) ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _cuts(window: str) -> frozenset[int]:
    """The offsets inside ``window`` where jieba puts a word boundary."""
    from kesu.triage.text import words_with_offsets

    return frozenset(edge for start, end in words_with_offsets(window) for edge in (start, end))


def _is_word(lowered: str, start: int, end: int) -> bool:
    """Whether the Chinese term at [start, end) is a word here: no word jieba finds in a window
    around it crosses either of its edges (a word that contains the whole term is fine)."""
    if end - start > 3 or not _CJK.match(lowered[start]):
        return True  # longer terms are not found inside other words (and the blockers list those that are)
    left = max(0, start - 6)
    right = min(len(lowered), end + 6)
    cuts = _cuts(lowered[left:right])
    first, last = start - left, end - left
    inside = [cut for cut in cuts if first < cut < last]
    if not inside:
        return True  # the term is one word, or inside one word that holds it whole
    # a word boundary inside the term: fine only when the pieces are the term's own words
    # ("银/保监会"), i.e. both edges are boundaries too
    return first in cuts and last in cuts


# --- context ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    previous_sentence: str  # the sentence before (at most 40 characters of it)
    before_sentence: str  # from the sentence start (at most _WINDOW characters) to the term
    before_clause: str  # from the clause start to the term
    after_clause: str  # from the term to the clause end
    after_sentence: str  # from the term to the sentence end
    clause: str
    sentence: str
    english: bool


def _context(lowered: str, start: int, end: int, english: bool) -> _Context:
    window_start = max(0, start - _WINDOW)
    before = lowered[window_start:start]
    sentence_breaks = list(_SENTENCE_END.finditer(before))
    sentence_start = window_start + (sentence_breaks[-1].end() if sentence_breaks else 0)
    before_sentence = lowered[sentence_start:start]
    previous_start = max(0, sentence_start - 40)
    previous = lowered[previous_start:sentence_start]
    previous_breaks = list(_SENTENCE_END.finditer(previous.rstrip("。！？!?；;\n. ")))
    previous_sentence = previous[previous_breaks[-1].end():] if previous_breaks else previous
    clause_breaks = list(_CLAUSE_END.finditer(before_sentence))
    before_clause = before_sentence[clause_breaks[-1].end():] if clause_breaks else before_sentence
    after = lowered[end:end + _WINDOW]
    sentence_stop = _SENTENCE_END.search(after)
    after_sentence = after[:sentence_stop.start()] if sentence_stop else after
    clause_stop = _CLAUSE_END.search(after_sentence)
    after_clause = after_sentence[:clause_stop.start()] if clause_stop else after_sentence
    if sentence_stop and after[sentence_stop.start()] in "?？":
        after_sentence += "?"  # a question mark ends the sentence
        after_clause += "?" if not clause_stop else ""
    term = lowered[start:end]
    return _Context(
        previous_sentence=previous_sentence, before_sentence=before_sentence, before_clause=before_clause, after_clause=after_clause,
        after_sentence=after_sentence, clause=before_clause + term + after_clause,
        sentence=before_sentence + term + after_sentence, english=english,
    )


def _negated(ctx: _Context) -> bool:
    before = ctx.before_clause
    if not before.strip():
        return False
    return bool(_NEGATED_ZH.search(before[-20:]) or _NEGATED_EN.search(before))


def _last(pattern: re.Pattern[str], text: str) -> int:
    """End offset of the last match of ``pattern`` in ``text``; -1 when none."""
    position = -1
    for match in pattern.finditer(text):
        position = match.end()
    return position


def _intent(ctx: _Context) -> bool:
    pattern = _INTENT_EN if ctx.english else _INTENT_ZH
    return bool(pattern.search(ctx.before_clause) or pattern.search(ctx.after_clause[:12]))


def _customer_speaks(text: str) -> bool:
    """Whether the customer is the subject somewhere in ``text`` ("我就…", "本人将…", "用户表示…"),
    not merely its object ("让我必须…", "对我进行…")."""
    return any(match.start() == 0 or text[match.start() - 1] not in _OBJECT_POSITION
               for match in _SUBJECT_ZH.finditer(text))


def _other_side(ctx: _Context, tier: str, earlier_other: bool) -> bool:
    """Whether the term is the other side's step (see rule 4 of the module docstring)."""
    if ctx.english:
        if _THEIR_EN.search(ctx.before_clause):
            return True
        before = ctx.before_sentence
        other = _last(_OTHER_EN, before)
        if other >= 0 and not re.search(r"\b(?:i|we)\s+(?:will|'ll|am going|are going|plan|intend|have|'ve|filed|"
                                        r"contacted|called|reported|hired|retained)\b", before[other:]):
            return True
        return tier == red_channel.ACT and bool(_OBJECT_EN.match(ctx.after_clause))
    before_clause = ctx.before_clause
    if (_RECEIVED_ZH.search(before_clause[-8:]) or _FAKE_ZH.search(before_clause[-4:])
            or _OTHER_OWNED_ZH.search(before_clause) or _DONE_TO_ME_ZH.search(before_clause[-8:])):
        return True
    before = ctx.previous_sentence + ctx.before_sentence if not _customer_speaks(ctx.before_sentence) else (
        ctx.before_sentence)
    spoken = _last(_OTHER_SPEECH_ZH, before)
    if spoken >= 0 and not _customer_speaks(before[spoken:]) and _last(_CUSTOMER_ZH, before) < spoken:
        return True
    party = _last(_OTHER_PARTY_ZH, before_clause)
    if party >= 0 and not _customer_speaks(before_clause[party:]) and not _INTENT_ZH.search(before_clause[party:]):
        return True
    if tier == red_channel.ACT and _OBJECT_ZH.match(ctx.after_clause):
        return True
    # the same step named again, the other side's before ("扬言起诉…如果起诉，…")
    return earlier_other and not _customer_speaks(before_clause)


def _advice(ctx: _Context) -> bool:
    if ctx.english:
        return bool(_ADVICE_EN.search(ctx.before_clause)) and not _INTENT_EN.search(ctx.before_clause)
    if _TELL_OTHER_ZH.search(ctx.before_clause):
        return True
    return bool(_ADVICE_ZH.search(ctx.before_clause)) and not _INTENT_ZH.search(ctx.before_clause)


def _policy(ctx: _Context, kind: str) -> bool:
    if ctx.english:
        return False  # English policy text reads as advice (see _advice)
    if not _POLICY_ZH.search(ctx.clause):
        return False
    if kind == red_channel.SAFETY:
        return True
    return not _INTENT_ZH.search(ctx.before_clause)


def _history(ctx: _Context) -> bool:
    if ctx.english:
        return bool(_HISTORY_EN.search(ctx.clause)) and not _PRESENT_EN.search(ctx.clause)
    told = (_HISTORY_ZH.search(ctx.before_sentence) or _HISTORY_FAILED_ZH.match(ctx.after_clause.lstrip("都也均"))
            or _DONE_BEFORE_ZH.match(ctx.after_clause))
    if not told:
        return False
    return not _PRESENT_ZH.search(ctx.before_clause + ctx.after_clause)


def _question(ctx: _Context) -> bool:
    if ctx.english:
        return bool(_QUESTION_EN.match(ctx.sentence))
    asked = (ctx.after_sentence.endswith("?") and not _INTENT_ZH.search(ctx.before_clause)) or bool(
        _QUESTION_ZH.search(ctx.clause))
    return asked and not _THREAT_CONDITION_ZH.search(ctx.before_sentence)


def _escalated(ctx: _Context) -> bool:
    """The customer turns to the body named: a verb next to it, or their intent in the clause."""
    if ctx.english:
        return bool(_ESCALATE_EN.search(ctx.before_clause[-40:]) or _INTENT_EN.search(ctx.before_clause)
                    or _MY_EN.search(ctx.before_clause))
    if _SPEAKER_AFTER_ZH.match(ctx.after_clause):
        return False
    return bool(
        _ESCALATE_BEFORE_ZH.search(ctx.before_clause[-10:]) or _ESCALATE_AFTER_ZH.match(ctx.after_clause)
        or _INTENT_ZH.search(ctx.before_clause) or _INTERVENE_ZH.search(ctx.after_clause[:10])
    )


def _appeal(ctx: _Context, kind: str) -> bool:
    """A plea to the body named ("希望…帮帮我", "恳请…解决"), not a demand that it act against the other side."""
    if ctx.english:
        return bool(_ADDRESSEE_EN.search(ctx.sentence))
    pleads = _APPEAL_ZH.search(ctx.before_clause) or (
        kind != red_channel.LEGAL and _APPEAL_TO_BODY_ZH.search(ctx.before_clause))
    return bool(pleads) and not _INTERVENE_ZH.search(ctx.after_clause)


def _threatened(ctx: _Context) -> bool:
    condition = _THREAT_CONDITION_EN if ctx.english else _THREAT_CONDITION_ZH
    return bool(condition.search(ctx.before_sentence)) and _escalated(ctx)


def _judge(kind: str, tier: str, term: str, ctx: _Context, earlier_other: bool) -> str | None:
    """None when the term counts; otherwise why not (one of `DISMISSALS`)."""
    if _negated(ctx):
        return NEGATED
    if tier in (red_channel.INCIDENT, red_channel.HARM):
        if tier == red_channel.INCIDENT and not ctx.english and _INSURANCE_ZH.search(ctx.sentence):
            return POLICY  # an insurance claim
        if _policy(ctx, kind):
            return POLICY
        if _advice(ctx):
            return ADVICE
        return None
    sense = _SENSES_ZH.get(term)
    if sense is not None and sense.search(ctx.sentence):
        return POLICY
    if _advice(ctx):
        return ADVICE
    if _other_side(ctx, tier, earlier_other):
        return OTHER_SIDE
    if _policy(ctx, kind):
        return POLICY
    if _history(ctx):
        return HISTORY
    if _question(ctx):
        return QUESTION
    if tier == red_channel.CHANNEL:
        if _appeal(ctx, kind) and not _THREAT_CONDITION_ZH.search(ctx.before_clause):
            return ADDRESSEE
        return None if _threatened(ctx) else NO_STEP
    if tier == red_channel.NOUN:
        if _appeal(ctx, kind):
            return ADDRESSEE
        return None if _escalated(ctx) else NO_STEP
    if ctx.english and not (_INTENT_EN.search(ctx.before_sentence) or _AGAINST_YOU_EN.search(ctx.after_clause)):
        return NO_STEP  # "a lawsuit was filed", "heard of a class action": the customer's own step is not said
    return None


# --- the detector ----------------------------------------------------------------------------------


def _candidates(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, tier) of every listed term, pattern and crowd, without overlaps."""
    found = [(start, end, *_TERM[term]) for start, end, term in _SCANNER.scan(text) if _TERM[term] is not None]
    extra: list[tuple[int, int, str, str]] = []
    if _PATTERN_HINT.search(text):
        extra.extend((m.start(), m.end(), kind, tier) for kind, tier, pattern in _PATTERNS for m in pattern.finditer(text))
    if _CROWD_HINT.search(text):
        for pattern in (_CROWD_ZH, _CROWD_EN):
            extra.extend((m.start(), m.end(), red_channel.GROUP_INCIDENT, "crowd") for m in pattern.finditer(text))
    if extra:
        found = _without_overlaps(found + extra)
    return found  # type: ignore[return-value]


def _crowd_acts(ctx: _Context) -> bool:
    """A collective action in the crowd's sentence, not negated ("…没有维权之路" is none)."""
    collective = _COLLECTIVE_EN if ctx.english else _COLLECTIVE_ZH
    negation = _NEGATED_EN if ctx.english else _NEGATED_ZH
    return any(not negation.search(ctx.sentence[max(0, m.start() - 8):m.start()])
               for m in collective.finditer(ctx.sentence))


def red_channel_detect(text: str) -> RedChannel:
    """Whether ``text`` is a red-channel complaint, with the evidence (see the module docstring)."""
    text = text or ""
    candidates = _candidates(text)
    if not candidates:
        return RedChannel(flagged=False)
    lowered = text_lower(text)
    evidence: list[RedEvidence] = []
    dismissed: list[RedDismissed] = []
    seen: set[tuple[str, str]] = set()
    others: set[str] = set()  # terms given to the other side so far
    for start, end, kind, tier in candidates:
        term = text[start:end]
        english = not _CJK.search(term) and not _CJK.search(lowered[max(0, start - 3):end + 3])
        if not english and tier != "crowd" and not _is_word(lowered, start, end):
            dismissed.append(RedDismissed(kind, term, start, end, NOT_A_WORD))
            continue
        ctx = _context(lowered, start, end, english)
        if tier == "crowd":
            why = None if _crowd_acts(ctx) and not _negated(ctx) else NO_ACTION
            if why is None and (_history(ctx) or _other_side(ctx, red_channel.NOUN, False)):
                why = HISTORY if _history(ctx) else OTHER_SIDE
        else:
            why = _judge(kind, tier, lowered[start:end], ctx, lowered[start:end] in others)
        if why == OTHER_SIDE:
            others.add(lowered[start:end])
        if why is not None:
            dismissed.append(RedDismissed(kind, term, start, end, why))
            continue
        key = (kind, lowered[start:end])
        if key in seen:
            continue
        seen.add(key)
        evidence.append(RedEvidence(kind=kind, term=term, start=start, end=end))
    return RedChannel(flagged=bool(evidence), evidence=evidence, dismissed=dismissed)


def _without_overlaps(matches: list) -> list:
    kept = []
    position = 0
    for match in sorted(matches, key=lambda m: (m[0], -m[1])):
        if match[0] >= position:
            kept.append(match)
            position = match[1]
    return kept
