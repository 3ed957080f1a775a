"""Seeded synthetic pools for tests, demos and benchmarks (no real person in them).

Rough shapes: mentees 11-30 (pupils, students, young job seekers), mentors 15-40 (mostly students
and young workers), people clustered around a few French cities in a few hundred communes, many
from QPV or scholarship backgrounds, short French texts tied to each person's field.
"""

from __future__ import annotations

import numpy as np

from .pools import N_SLOTS, MenteePool, MentorPool

# (name, lat, lon, weight): cities the synthetic communes cluster around
_CITIES = (
    ("Paris", 48.8566, 2.3522, 0.40),
    ("Lyon", 45.7640, 4.8357, 0.12),
    ("Marseille", 43.2965, 5.3698, 0.12),
    ("Lille", 50.6292, 3.0573, 0.10),
    ("Toulouse", 43.6047, 1.4442, 0.09),
    ("Nantes", 47.2184, -1.5536, 0.07),
    ("Strasbourg", 48.5734, 7.7521, 0.05),
    ("Rennes", 48.1173, -1.6778, 0.05),
)

_FIELDS = (
    ("informatique", ["développeur", "code", "réseaux", "cybersécurité", "data", "numérique"]),
    ("santé", ["infirmière", "médecine", "pharmacie", "soins", "hôpital", "aide-soignant"]),
    ("droit", ["avocat", "juriste", "droit des affaires", "sciences po", "concours", "justice"]),
    ("commerce", ["bts commerce", "vente", "marketing", "négociation", "entreprise", "gestion"]),
    ("ingénierie", ["école d'ingénieur", "prépa", "mécanique", "maths", "physique", "btp"]),
    ("social", ["éducateur", "travail social", "animation", "association", "jeunesse", "psycho"]),
    ("arts", ["design", "graphisme", "cinéma", "musique", "mode", "photographie"]),
    ("enseignement", ["professeur", "inspé", "éducation", "licence", "histoire", "lettres"]),
    ("logistique", ["transport", "logistique", "cariste", "supply chain", "permis", "entrepôt"]),
    ("banque", ["finance", "comptabilité", "banque", "assurance", "audit", "alternance"]),
    ("hôtellerie", ["cuisine", "restauration", "hôtellerie", "tourisme", "accueil", "cap"]),
    ("environnement", ["écologie", "énergie", "agriculture", "climat", "biologie", "nature"]),
)

_MENTEE_TEMPLATES = (
    "Je voudrais devenir {w0} et je cherche des conseils pour mon orientation en {f}.",
    "J'aimerais faire un {w1} plus tard, mais je ne connais personne dans le milieu {f}.",
    "Je prépare mon dossier Parcoursup, je suis intéressé par {w0} et {w2}.",
    "Je cherche un stage ou une alternance en {w2}, j'ai besoin de confiance pour les entretiens.",
    "Mon projet : travailler dans {f}, peut-être {w1}. Je veux comprendre les codes du milieu.",
)
_MENTOR_TEMPLATES = (
    "Étudiant en {f}, j'ai fait {w0} après un bac général, je peux parler de {w1}.",
    "Je travaille dans {f} ({w2}), passé par {w0} ; j'ai grandi dans un quartier comme le tien.",
    "Parcours : {w1} puis {w0}. J'ai eu une bourse et je connais bien Parcoursup.",
    "Alternance en {w2} dans une entreprise de {f}, premier de ma famille à faire des études.",
    "Je suis en master {f}, j'aide sur les méthodes de travail, {w1} et les entretiens.",
)


def _stage_for_age(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    stage = np.select(
        [age < 15, age < 18, age < 20, age < 22, age < 25],
        [0, 1, 2, 3, 4],
        default=4,
    ).astype(np.int8)
    workers = age >= 20
    # some left school earlier or went further
    stage[workers & (rng.random(age.size) < 0.25)] = 2
    stage[(age >= 25) & (rng.random(age.size) < 0.12)] = 5
    return stage


def _mask(rng: np.random.Generator, n: int, bits: int, low: int, high: int) -> np.ndarray:
    counts = rng.integers(low, high + 1, n)
    keys = rng.random((n, bits))
    ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
    chosen = ranks < counts[:, None]
    return (chosen * (1 << np.arange(bits))).sum(axis=1).astype(np.int32)


def _texts(rng: np.random.Generator, field: np.ndarray, templates: tuple[str, ...]) -> list[str]:
    texts = []
    for f, t, w in zip(
        field,
        rng.integers(0, len(templates), field.size),
        rng.integers(0, 6, (field.size, 3)),
        strict=True,
    ):
        name, words = _FIELDS[f if f >= 0 else 0]
        texts.append(templates[t].format(f=name, w0=words[w[0]], w1=words[w[1]], w2=words[w[2]]))
    return texts


def _places(rng: np.random.Generator, n: int, communes: np.ndarray) -> tuple[np.ndarray, ...]:
    commune = rng.integers(0, communes.shape[0], n)
    lat, lon = communes[commune, 0].copy(), communes[commune, 1].copy()
    unknown = rng.random(n) < 0.03
    lat[unknown] = np.nan
    lon[unknown] = np.nan
    commune[unknown] = -1
    return commune.astype(np.int32), lat.astype(np.float32), lon.astype(np.float32)


def _communes(rng: np.random.Generator, count: int) -> np.ndarray:
    weights = np.array([c[3] for c in _CITIES])
    city = rng.choice(len(_CITIES), count, p=weights / weights.sum())
    centre = np.array([[c[1], c[2]] for c in _CITIES])[city]
    spread = rng.gamma(2.0, 0.06, count)[:, None]  # most communes within ~15 km of the city
    return centre + rng.normal(0, 1, (count, 2)) * spread


def synthetic_pools(
    n_mentees: int, n_mentors: int, seed: int = 0, *, n_communes: int = 300
) -> tuple[MenteePool, MentorPool]:
    """A seeded pair of pools with realistic-ish distributions."""
    rng = np.random.default_rng(seed)
    communes = _communes(rng, n_communes)

    n = n_mentees
    group = rng.choice(3, n, p=[0.40, 0.45, 0.15])  # pupils, students, young adults
    age = np.select(
        [group == 0, group == 1],
        [rng.uniform(11, 18, n), rng.uniform(18, 25, n)],
        default=rng.uniform(25, 30, n),
    ).astype(np.float32)
    field = rng.integers(0, len(_FIELDS), n)
    field[rng.random(n) < 0.1] = -1
    qpv = rng.random(n) < 0.45
    boursier = rng.random(n) < 0.40
    commune, lat, lon = _places(rng, n, communes)
    mentees = MenteePool(
        age_years=age,
        education_stage=_stage_for_age(age, rng),
        field=field,
        qpv=qpv,
        boursier=boursier,
        first_generation=rng.random(n) < 0.50,
        pcs=rng.choice(9, n, p=[0.1, 0.03, 0.04, 0.07, 0.12, 0.30, 0.25, 0.04, 0.05]),
        lat=lat,
        lon=lon,
        commune=commune,
        availability=_mask(rng, n, N_SLOTS, 1, 4),
        meeting_format=rng.choice(3, n, p=[0.40, 0.15, 0.45]),
        languages=1 | (rng.random(n) < 0.2) * 2 | (rng.random(n) < 0.3) * 4,
        gender=rng.choice(4, n, p=[0.04, 0.50, 0.45, 0.01]),
        prefers_same_gender=rng.random(n) < 0.15,
        texts=_texts(rng, field, _MENTEE_TEMPLATES),
        goals=_mask(rng, n, 7, 1, 3),
        waiting_days=rng.exponential(40.0, n),
        priority_background=(qpv | boursier).astype(np.float32),
    )

    m = n_mentors
    age = np.clip(rng.gamma(6.0, 1.0, m) + 16, 15, 40).astype(np.float32)
    field = rng.integers(0, len(_FIELDS), m)
    field[rng.random(m) < 0.05] = -1
    commune, lat, lon = _places(rng, m, communes)
    mentors = MentorPool(
        age_years=age,
        education_stage=_stage_for_age(age, rng),
        field=field,
        qpv=rng.random(m) < 0.30,
        boursier=rng.random(m) < 0.35,
        first_generation=rng.random(m) < 0.35,
        pcs=rng.choice(9, m, p=[0.1, 0.03, 0.05, 0.12, 0.15, 0.25, 0.20, 0.05, 0.05]),
        lat=lat,
        lon=lon,
        commune=commune,
        availability=_mask(rng, m, N_SLOTS, 1, 4),
        meeting_format=rng.choice(3, m, p=[0.30, 0.20, 0.50]),
        languages=1 | (rng.random(m) < 0.3) * 2 | (rng.random(m) < 0.2) * 4,
        gender=rng.choice(4, m, p=[0.03, 0.55, 0.41, 0.01]),
        prefers_same_gender=rng.random(m) < 0.10,
        texts=_texts(rng, field, _MENTOR_TEMPLATES),
        help_with=_mask(rng, m, 7, 2, 5),
        capacity=rng.integers(1, 4, m),
        vetting_valid=rng.random(m) < 0.85,
    )
    return mentees, mentors
