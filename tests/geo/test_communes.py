"""The commune reference list: what people type resolves to one commune, or says why not."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from django.db.models import F

from geo.models import Commune, Departement
from geo.selectors import CommuneAmbiguous, CommuneNotFound, commune_resolve, commune_search
from geo.text import fold

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "geo" / "data"


def names(communes):
    return [c.name for c in communes]


# --- reference data loaded by the migrations ---------------------------------------------------


def test_migrations_load_every_departement_and_every_commune_of_a_known_departement():
    with open(DATA / "departements-fr.csv", encoding="utf-8") as fh:
        departements = {row["code"] for row in csv.DictReader(fh)}
    with gzip.open(DATA / "communes-fr.csv.gz", "rb") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
    expected = sum(1 for row in rows if row["departement"] in departements)

    assert Departement.objects.count() == len(departements) == 101
    assert Commune.objects.count() == expected == 34920


def test_overseas_and_corsican_departements_are_there():
    assert Commune.objects.get(pk="97411").departement.name == "La Réunion"
    assert Commune.objects.filter(departement_id="2A").exists()


# --- commune_resolve ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Bobigny (93000)", "bobigny", "BOBIGNY", "93000", "  Bobigny  "])
def test_resolve_finds_bobigny_however_it_is_typed(typed):
    assert commune_resolve(typed).code_insee == "93008"


def test_resolve_accepts_an_insee_code_that_is_no_postal_code():
    assert commune_resolve("93066").name == "Saint-Denis"


@pytest.mark.parametrize("typed", ["saint denis", "Saint-Denis", "ST DENIS", "st-denis"])
def test_a_shared_name_is_ambiguous_and_lists_the_biggest_first(typed):
    with pytest.raises(CommuneAmbiguous) as excinfo:
        commune_resolve(typed)

    codes = [c.code_insee for c in excinfo.value.candidates]
    assert set(codes) >= {"93066", "97411", "11339", "30247"}
    assert codes[:2] == ["97411", "93066"]  # La Réunion's Saint-Denis is a little bigger


@pytest.mark.parametrize("typed", ["Saint-Denis (93200)", "ST DENIS (93210)", "saint denis (93380)"])
def test_the_postal_code_settles_a_shared_name(typed):
    assert commune_resolve(typed).code_insee == "93066"


def test_accents_and_dashes_are_folded():
    assert commune_resolve("epinay sur seine").name == "Épinay-sur-Seine"
    assert commune_resolve("ÉPINAY-SUR-SEINE (93800)").code_insee == "93031"


@pytest.mark.parametrize("typed", ["Nowhere", "", "Bobigny (13001)", "99999"])
def test_unknown_text_is_not_found(typed):
    with pytest.raises(CommuneNotFound):
        commune_resolve(typed)


@pytest.mark.parametrize("code", ["13055", "69123", "75056", "93008", "13201", "97411"])
def test_every_label_resolves_back_to_its_commune(code):
    # The label is what the datalist offers and what an edit form shows back; Paris, Lyon and
    # Marseille have no postal code of their own and are labelled "Marseille (13)".
    commune = Commune.objects.get(pk=code)

    assert commune_resolve(commune.label) == commune


@pytest.mark.parametrize(
    "typed, code",
    [("La Courneuve", "93027"), ("Les Lilas", "93045"), ("le blanc-mesnil", "93007"), ("L'Île-Saint-Denis", "93039"), ("Le Havre (76600)", "76351")],
)
def test_a_name_typed_with_its_article_is_found(typed, code):
    # INSEE's list stores "Courneuve", "Lilas", "Havre": people type "La Courneuve".
    assert commune_resolve(typed).code_insee == code


def test_fold_expands_saint_abbreviations():
    assert fold("ST DENIS") == fold("saint-denis") == "saint denis"
    assert fold("Ste-Œuvre l'Été") == "sainte oeuvre l ete"


# --- commune_search (the datalist) ---------------------------------------------------------------


def test_search_by_name_prefix_puts_the_biggest_towns_first():
    found = commune_search(query="bobig")

    assert names(found)[0] == "Bobigny"


def test_search_by_name_ignores_accents_and_dashes():
    found = commune_search(query="saint-ouen-sur-se")

    assert [c.code_insee for c in found][:1] == ["93070"]


def test_search_finds_a_name_typed_with_its_article():
    assert names(commune_search(query="la courn"))[0] == "Courneuve"
    assert "Pré-Saint-Gervais" in names(commune_search(query="le pre saint"))


def test_search_results_are_ordered_by_population():
    found = commune_search(query="saint d", limit=30)

    populations = [c.population for c in found]
    assert populations == sorted(populations, reverse=True)
    assert {"93066", "97411"} <= {c.code_insee for c in found[:2]}


def test_search_by_postal_code_prefix():
    found = commune_search(query="930")

    assert found
    assert all(any(code.startswith("930") for code in c.postal_codes.split()) for c in found)
    assert "Bobigny" in names(found)


def test_search_by_full_postal_code():
    assert names(commune_search(query="93000")) == ["Bobigny"]


def test_search_ignores_a_single_character_and_respects_the_limit():
    assert commune_search(query="b") == []
    assert len(commune_search(query="sa", limit=5)) == 5


# --- the /communes/ view --------------------------------------------------------------------------


def test_view_returns_options_for_the_datalist(client):
    response = client.get("/communes/", {"q": "bobig"})

    assert response.status_code == 200
    assert '<option value="Bobigny (93000)">93 · Bobigny</option>' in response.content.decode()


def test_view_reads_the_inputs_own_field_name(client):
    # htmx sends the input's value under its own name (e.g. ``commune``), not ``q``.
    response = client.get("/communes/", {"commune": "93000"})

    assert "Bobigny (93000)" in response.content.decode()


def test_view_never_echoes_markup(client):
    response = client.get("/communes/", {"q": '"><script>alert(1)</script>'})

    assert response.status_code == 200
    assert "<script" not in response.content.decode()


def test_view_escapes_names_with_apostrophes(client):
    response = client.get("/communes/", {"q": "gommenec"})

    page = response.content.decode()
    assert '<option value="Gommenec&#x27;h (22290)">' in page
    assert "Gommenec'h" not in page


def test_view_is_cacheable_public_data(client):
    response = client.get("/communes/", {"q": "lille"})

    assert "public" in response["Cache-Control"]
    assert client.post("/communes/", {"q": "lille"}).status_code == 405


def test_view_costs_one_query(client, django_assert_max_num_queries):
    # The datalist refreshes on every keystroke: one indexed query on communes, nothing else.
    with django_assert_max_num_queries(1):
        response = client.get("/communes/", {"q": "saint"})

    assert response.content.decode().count("<option") == 15


def test_every_communes_code_gives_its_departement_as_participants_store_it():
    """participants.Participant.departement_code is computed from the commune's INSEE code (the
    list's département filter reads it): the rule must hold for every reference commune."""
    from participants.models import Participant

    field = Participant._meta.get_field("departement_code")
    on_communes = field.expression.replace_expressions({F("commune_id"): F("code_insee")})
    communes = Commune.objects.annotate(derived=on_communes).exclude(derived=F("departement_id"))
    assert Commune.objects.count() > 30000
    assert list(communes.values_list("code_insee", flat=True)[:5]) == []
