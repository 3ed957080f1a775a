"""Recall and false-positive rate of the contact-details detector on the labelled messages.

    python -m binomes.safeguarding_eval

Two sets: the *development* set (``tests/binomes/fixtures/messages.py``), which the detector is
improved against, and the *held-out* set (``tests/binomes/fixtures/heldout_messages.py``), written
separately and only measured: its figures are the honest ones.

Message level: a message with contact details is caught when the detector reports anything; a
clean message is a false positive when it reports anything. Kind level: a caught message whose
detected kinds miss one of its labelled kinds is listed too (the sender would get a partial reason).
Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from binomes.safeguarding import ContactFinding, detect_contact_details_in_sequence
from tests.binomes.fixtures.heldout_messages import HELDOUT_MESSAGES
from tests.binomes.fixtures.messages import MESSAGES, LabelledMessage


@dataclass(frozen=True)
class Outcome:
    message: LabelledMessage
    findings: tuple[ContactFinding, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def detected_kinds(self) -> frozenset[str]:
        return frozenset(f.kind for f in self.findings)


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[Outcome, ...]

    @property
    def positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.message.has_contact]

    @property
    def negatives(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.message.has_contact]

    @property
    def missed(self) -> list[Outcome]:
        return [o for o in self.positives if not o.flagged]

    @property
    def false_positives(self) -> list[Outcome]:
        return [o for o in self.negatives if o.flagged]

    @property
    def wrong_kinds(self) -> list[Outcome]:
        return [o for o in self.positives if o.flagged and not o.message.kinds <= o.detected_kinds]

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / len(self.positives) if self.positives else 1.0

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_positives) / len(self.negatives) if self.negatives else 0.0

    def summary(self) -> str:
        return (
            f"recall={self.recall:.3f} fpr={self.false_positive_rate:.3f} "
            f"on {len(self.outcomes)} messages "
            f"({len(self.positives)} with contact details, {len(self.negatives)} clean)"
        )


def evaluate(messages: Iterable[LabelledMessage] = MESSAGES) -> Evaluation:
    return Evaluation(
        tuple(
            Outcome(m, tuple(detect_contact_details_in_sequence(m.text, previous=m.previous)))
            for m in messages
        )
    )


def _describe(outcome: Outcome) -> str:
    found = ", ".join(f"{f.kind}:{f.excerpt!r}" for f in outcome.findings) or "nothing"
    expected = ", ".join(sorted(outcome.message.kinds)) or "nothing"
    previous = "".join(f"{text!r} then " for text in outcome.message.previous)
    return f"  {previous}{outcome.message.text!r}\n    expected {expected}; found {found}"


def main() -> None:
    for name, messages in (("development", MESSAGES), ("held-out", HELDOUT_MESSAGES)):
        _report(name, evaluate(messages))


def _report(name: str, evaluation: Evaluation) -> None:
    print(f"== {name}: {evaluation.summary()}")
    for title, outcomes in (
        ("Missed (contact details not flagged)", evaluation.missed),
        ("False positives (clean messages flagged)", evaluation.false_positives),
        ("Flagged with an incomplete set of kinds", evaluation.wrong_kinds),
    ):
        print(f"\n{title}: {len(outcomes)}")
        for outcome in outcomes:
            print(_describe(outcome))
    print()


if __name__ == "__main__":
    main()
