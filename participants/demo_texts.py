"""Texts of the demo pool (aspirations of mentees, paths of mentors), shared by the demo data
command and the matching benchmark. Plain Python: importing it needs no Django settings."""

ASPIRATIONS = (
    "Je voudrais faire médecine mais je ne sais pas comment préparer le PASS",
    "Intégrer Sciences Po ou une école de journalisme",
    "Trouver une alternance en BTS commerce",
    "Devenir développeuse web, je code déjà un peu",
    "Je veux être infirmier, comment réussir Parcoursup ?",
    "Faire une prépa scientifique puis une école d'ingénieurs",
    "Travailler dans le droit, peut-être avocate",
    "Trouver un stage de 3e dans une entreprise",
    "Reprendre confiance en moi à l'oral",
    "Devenir professeur des écoles",
    "Ouvrir mon entreprise dans la restauration",
    "Comprendre comment fonctionne l'université",
    "Trouver un premier emploi après mon BUT informatique",
    "Aller étudier à l'étranger avec Erasmus",
    "Entrer dans une école d'architecture",
    "Travailler dans le sport, coach ou kiné",
)
PATHS = (
    "Étudiante en troisième année de médecine, j'ai grandi à {city} et j'ai préparé le PASS seule",
    "Diplômé de Sciences Po après un lycée en REP, boursier, je travaille dans une ONG",
    "En BTS commerce en alternance dans une grande enseigne",
    "Développeur web depuis deux ans après une reconversion et un BUT informatique",
    "Infirmière à l'hôpital, j'ai fait mon IFSI après un bac pro",
    "Élève ingénieur après une prépa scientifique, première génération à faire des études",
    "Étudiante en master de droit, je prépare le barreau",
    "Lycéen en terminale générale, j'ai eu un mentor et je veux rendre la pareille",
    "Professeure des écoles, ancienne boursière, passée par la licence de sciences de l'éducation",
    "Gérant d'un restaurant à {city} après un CAP cuisine",
    "Étudiant en licence d'économie, j'ai grandi dans le même quartier",
    "Parti un an en Erasmus à Madrid pendant ma licence de langues",
    "Étudiante en école d'architecture, passée par un bac STD2A",
    "Kinésithérapeute, ancien sportif de haut niveau",
)
