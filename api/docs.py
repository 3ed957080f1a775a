"""The introduction of the OpenAPI schema (shown at the top of /api/v1/docs/)."""

API_DESCRIPTION = """
L'API de la plateforme Mentorat : tout ce que font les pages, pour les outils des associations
(CRM, tableurs, rapports aux financeurs) et les applications.

**Authentification.** Dans le navigateur, la session (les écritures demandent l'en-tête
`X-CSRFToken`). Pour une intégration, un jeton créé par un·e coordinateur·rice sur la page
« API » de la coordination : `Authorization: Bearer mtr_…`. Un jeton agit avec les droits de la
personne qui l'a créé, pour son association seulement ; il est montré une seule fois, révocable,
et sa dernière utilisation est affichée. Sans identification : 401.

**Droits.** Les mêmes que sur les pages : une association que vous ne coordonnez pas, un binôme
dont vous n'êtes ni membre ni coordinateur·rice n'existent pas pour vous (404). Un membre ne voit
de l'autre que son prénom. Une action qui n'est pas la vôtre sur un objet que vous voyez : 403.

**Erreurs.** Toujours le même corps : `{"detail": "…", "errors": {"champ": ["…"]}}` — `detail`
en français, `errors` seulement pour des données invalides (un tableau de messages par champ,
`non_field_errors` pour l'ensemble, `goals.1` pour le 2e élément d'une liste). Les règles métier
refusées (binôme déjà traité, capacité atteinte…) répondent 400 avec la raison dans `detail`.

**Listes.** Paginées : `?page=2&page_size=100` (200 au plus), avec `count`, `next`, `previous`,
`results`. Les messages d'un binôme se lisent avec un curseur : `?after=<id>`.

**Écritures.** Seuls les champs documentés sont lus : l'association, le rôle, le statut ou
l'utilisateur envoyés dans un corps sont ignorés. Les écritures sont limitées en débit (429), et
l'envoi de messages plus encore.
"""
