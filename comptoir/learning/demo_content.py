"""The demo's quizzes: a dozen French quizzes on the field's topics (our own texts, fictional offer).

Each question is `(kind, text, answers, explanation)`; in `answers`, `*` marks a correct answer, and
for ordering questions the answers are in the right order. True/false questions give "vrai"/"faux".
"""

from __future__ import annotations

from typing import Any

Q = tuple[str, str, str, str]

QUIZZES: list[dict[str, Any]] = [
    {
        "title": "Les machines à café : les bases",
        "title_en": "Coffee machines: the basics",
        "topic": "Machines à café",
        "audience": "company",
        "description": "Dix minutes pour vérifier que vous savez conseiller la bonne machine au bon client.",
        "description_en": "Ten minutes to check you can advise the right machine to the right customer.",
        "pass_mark": 70,
        "questions": [
            (
                "single",
                "Quelle pression d'extraction vise une machine espresso professionnelle ?",
                "5 bars|*9 bars|15 bars|20 bars",
                "Autour de 9 bars : au-delà, l'extraction devient amère ; en dessous, le café manque de corps.",
            ),
            (
                "multiple",
                "Pour un bureau de 60 personnes, quelles machines proposer ?",
                "*Une superautomatique grain|*Deux machines à capsules en libre-service|Une cafetière à piston|Une machine à levier manuelle",
                "Le volume exige de l'automatique ; deux points capsules évitent la file d'attente.",
            ),
            (
                "true_false",
                "Le détartrage trimestriel est inclus dans le contrat de location Office.",
                "vrai",
                "Il est inclus : c'est un argument à rappeler au renouvellement.",
            ),
            (
                "ordering",
                "Dans quel ordre se déroule l'installation d'une machine chez un client ?",
                "Vérifier l'arrivée d'eau|Poser et raccorder la machine|Régler la mouture|Former l'équipe",
                "Sans eau conforme rien ne sert de poser ; la formation vient en dernier, machine réglée.",
            ),
            (
                "single",
                "Un restaurant sert 300 cafés par jour. Quelle machine ?",
                "Une machine à capsules|*Une traditionnelle deux groupes avec moulin|Une superautomatique de bureau|Une cafetière filtre",
                "À ce volume, la traditionnelle deux groupes tient le rythme du coup de feu.",
            ),
        ],
    },
    {
        "title": "Machines à café : entretien et pannes courantes",
        "title_en": "Coffee machines: upkeep and common faults",
        "topic": "Machines à café",
        "audience": "company",
        "pass_mark": 70,
        "questions": [
            (
                "single",
                "Le café coule trop vite et il est clair. Que régler d'abord ?",
                "La température|*La mouture, plus fine|La pression de la pompe|Le débit d'eau du réseau",
                "Une mouture trop grosse laisse passer l'eau trop vite : on affine avant tout.",
            ),
            (
                "true_false",
                "Un voyant de détartrage allumé oblige à appeler le technicien.",
                "faux",
                "Le client peut lancer le cycle lui-même : montrez-le à l'installation.",
            ),
            (
                "multiple",
                "Que vérifier quand la machine ne chauffe plus ?",
                "*Le disjoncteur|*Le niveau d'eau du réservoir|La date du contrat|*Le message d'erreur affiché",
                "Trois vérifications simples avant de déplacer un technicien.",
            ),
            (
                "ordering",
                "L'ordre du nettoyage quotidien ?",
                "Vider le bac à marc|Rincer le groupe|Nettoyer la buse vapeur|Essuyer la grille",
                "Du plus sale au plus visible.",
            ),
        ],
    },
    {
        "title": "Gammes de cafés : origines et torréfaction",
        "title_en": "Coffee ranges: origins and roasting",
        "topic": "Gammes de cafés",
        "audience": "company",
        "description": "Savoir raconter un café, c'est savoir le vendre.",
        "pass_mark": 60,
        "questions": [
            (
                "single",
                "Quelle variété domine dans nos cafés de spécialité ?",
                "Robusta|*Arabica|Liberica|Excelsa",
                "L'arabica, plus aromatique et moins amer, fait la base de la gamme spécialité.",
            ),
            (
                "true_false",
                "Une torréfaction plus foncée donne plus de caféine.",
                "faux",
                "C'est presque l'inverse : la torréfaction longue dégrade un peu la caféine.",
            ),
            (
                "multiple",
                "Quels arguments pour le café en grains plutôt que moulu ?",
                "*Arômes préservés plus longtemps|*Mouture réglée pour la machine|Moins cher au kilo|Aucun réglage nécessaire",
                "Le grain garde ses arômes et se moud à la demande ; il demande un moulin bien réglé.",
            ),
            (
                "ordering",
                "Classez ces torréfactions de la plus claire à la plus foncée.",
                "Cannelle|Ville|Viennoise|Italienne",
                "Cannelle, ville, viennoise puis italienne : de l'acidité vers l'amertume.",
            ),
        ],
    },
    {
        "title": "La démonstration petit-déjeuner",
        "title_en": "The breakfast demo",
        "topic": "Démonstration petit-déjeuner",
        "audience": "unit",
        "unit": "office",
        "description": "La démonstration qui fait signer les bureaux : la préparer, la mener, conclure.",
        "pass_mark": 75,
        "questions": [
            (
                "ordering",
                "Dans quel ordre mener la démonstration ?",
                "Accueillir et installer|Faire déguster|Écouter les retours|Proposer l'offre",
                "On conclut sur l'offre seulement après avoir écouté ce que les gens ont aimé.",
            ),
            (
                "single",
                "Combien de personnes inviter idéalement ?",
                "Deux ou trois|*Huit à quinze|Tout l'étage|Seulement le décideur",
                "Assez pour créer l'envie, pas trop pour pouvoir parler à chacun.",
            ),
            (
                "true_false",
                "Il faut laisser la machine sur place après la démonstration.",
                "vrai",
                "Une semaine d'essai transforme l'essai : l'équipe ne veut plus s'en passer.",
            ),
            (
                "multiple",
                "Que prévoir avec le café ?",
                "*Des viennoiseries|*Un lait et une alternative végétale|Un contrat à signer sur place|*Des gobelets réutilisables",
                "On vient avec tout le nécessaire ; le contrat attend le rendez-vous suivant.",
            ),
        ],
    },
    {
        "title": "Mise en avant en point de vente",
        "title_en": "Point-of-sale display",
        "topic": "Mise en avant en point de vente",
        "audience": "unit",
        "unit": "trade",
        "pass_mark": 70,
        "questions": [
            (
                "single",
                "Où placer le présentoir dans une épicerie fine ?",
                "Au fond du magasin|*Près de la caisse, à hauteur des yeux|Dans la réserve|Sur le trottoir",
                "Près de la caisse et à hauteur des yeux : c'est là que se fait l'achat d'impulsion.",
            ),
            (
                "true_false",
                "Un facing de trois produits identiques vend mieux qu'un produit seul.",
                "vrai",
                "La répétition crée l'effet de masse et rassure sur la disponibilité.",
            ),
            (
                "multiple",
                "Quels éléments rendent un présentoir efficace ?",
                "*Un prix lisible|*Un message court|Dix références différentes|*Un réassort régulier",
                "Lisible, court, toujours plein : le présentoir vide fait fuir.",
            ),
            (
                "ordering",
                "Ordre de la visite de réassort ?",
                "Vérifier le stock|Remplir le présentoir|Nettoyer et aligner|Noter les ventes",
                "On compte d'abord, on range ensuite, on note pour la prochaine commande.",
            ),
        ],
    },
    {
        "title": "Stickers et PLV : bien expliquer la machine",
        "title_en": "Stickers and displays: explaining the machine",
        "topic": "Stickers et PLV",
        "audience": "team",
        "pass_mark": 60,
        "questions": [
            (
                "single",
                "Quel sticker réduit le plus les appels au service client ?",
                "Le logo de la marque|*Le pas-à-pas du mousseur à lait|Les horaires du magasin|Le prix du café",
                "Le mousseur est la première source d'appels : un pas-à-pas illustré les divise.",
            ),
            (
                "true_false",
                "Les stickers doivent être en français et en anglais dans les hôtels.",
                "vrai",
                "Les clients étrangers utilisent aussi la machine du petit-déjeuner.",
            ),
            (
                "multiple",
                "Où coller le pas-à-pas ?",
                "*Sur le côté de la machine, visible debout|*Près du mousseur|Sous la machine|Sur le bac à marc",
                "Là où l'on regarde au moment d'agir.",
            ),
        ],
    },
    {
        "title": "Dégustation : animer et convaincre",
        "title_en": "Tasting: leading and convincing",
        "topic": "Dégustation",
        "audience": "company",
        "pass_mark": 70,
        "questions": [
            (
                "ordering",
                "Dans quel ordre déguster trois cafés ?",
                "Le plus doux|Le plus fruité|Le plus corsé",
                "Du plus doux au plus corsé, sinon le palais sature.",
            ),
            (
                "single",
                "Combien de cafés faire déguster au maximum ?",
                "Un seul|*Trois ou quatre|Huit|Autant que possible",
                "Au-delà de quatre, les différences se perdent.",
            ),
            (
                "true_false",
                "Il faut donner le prix avant la dégustation.",
                "faux",
                "Le goût d'abord : le prix s'apprécie mieux quand on a aimé.",
            ),
            (
                "multiple",
                "Quelles questions poser pendant la dégustation ?",
                "*Lequel préférez-vous ?|*Avec quoi le servez-vous ?|Combien payez-vous aujourd'hui ?|*Qui boit le café chez vous ?",
                "On cherche les usages et les goûts, pas encore le budget.",
            ),
        ],
    },
    {
        "title": "Les promotions du trimestre",
        "title_en": "This quarter's promotions",
        "topic": "Promotions",
        "audience": "company",
        "pass_mark": 80,
        "max_attempts": 3,
        "questions": [
            (
                "single",
                "Quelle remise sur le café en grains pour une commande de 20 kg ?",
                "5 %|*10 %|15 %|20 %",
                "10 % à partir de 20 kg, cumulable avec la fidélité.",
            ),
            (
                "true_false",
                "La remise de volume se cumule avec la remise fidélité.",
                "vrai",
                "Les deux se cumulent : à dire au client dès le premier rendez-vous.",
            ),
            (
                "multiple",
                "Quels clients sont éligibles à l'offre de rentrée ?",
                "*Les nouveaux clients HoReCa|*Les clients Office en renouvellement|Les grands comptes sous accord-cadre|Les particuliers",
                "Les grands comptes ont leurs conditions d'accord-cadre, hors promotions.",
            ),
            (
                "single",
                "Quand la remise de l'offre de rentrée apparaît-elle ?",
                "Sur la facture suivante|*Directement sur la facture de la commande|Par chèque|Jamais automatiquement",
                "Elle est appliquée directement : c'est ce qui évite les réclamations.",
            ),
        ],
    },
    {
        "title": "L'offre HoReCa",
        "title_en": "The HoReCa offer",
        "topic": "Offre HoReCa",
        "audience": "unit",
        "unit": "horeca",
        "pass_mark": 70,
        "question_time_limit_seconds": 60,
        "questions": [
            (
                "single",
                "Que comprend le contrat machine HoReCa de base ?",
                "La machine seule|*Machine, entretien et formation|Machine et café illimité|Entretien seul",
                "Machine, entretien et formation de l'équipe : le client n'a rien à gérer.",
            ),
            (
                "true_false",
                "Un hôtel peut combiner une machine traditionnelle et des machines en chambre.",
                "vrai",
                "C'est même l'offre qui se vend le mieux en hôtellerie.",
            ),
            (
                "multiple",
                "Quels services différencient notre offre ?",
                "*Dépannage sous 24 h|*Formation des nouveaux serveurs|Livraison le dimanche|*Suivi de la qualité en tasse",
                "Le dépannage rapide et la qualité en tasse font la différence face aux concurrents.",
            ),
            (
                "ordering",
                "Les étapes d'une ouverture de compte HoReCa ?",
                "Visite et dégustation|Proposition chiffrée|Signature|Installation et formation",
                "On goûte, on chiffre, on signe, on installe.",
            ),
        ],
    },
    {
        "title": "L'offre Trade",
        "title_en": "The Trade offer",
        "topic": "Offre Trade",
        "audience": "unit",
        "unit": "trade",
        "pass_mark": 70,
        "questions": [
            (
                "single",
                "Quel est le minimum de commande pour un caviste ?",
                "1 carton|*3 cartons|10 cartons|Pas de minimum",
                "Trois cartons, pour que le présentoir soit plein dès le premier jour.",
            ),
            (
                "true_false",
                "Les boutiques spécialisées peuvent retourner les invendus.",
                "faux",
                "Pas de reprise : on ajuste plutôt les quantités à la visite suivante.",
            ),
            (
                "multiple",
                "Qu'apporte-t-on à un nouveau point de vente ?",
                "*Un présentoir|*Des fiches produits|Une machine gratuite|*Une formation du vendeur",
                "De quoi vendre : présentoir, fiches et une formation courte.",
            ),
        ],
    },
    {
        "title": "L'offre Office",
        "title_en": "The Office offer",
        "topic": "Offre Office",
        "audience": "unit",
        "unit": "office",
        "pass_mark": 70,
        "time_limit_seconds": 600,
        "questions": [
            (
                "single",
                "Quelle durée de location proposer en premier ?",
                "12 mois|*36 mois|60 mois|Sans engagement",
                "36 mois : le meilleur loyer pour le client et le bon équilibre pour nous.",
            ),
            (
                "multiple",
                "Que comprend le forfait Office ?",
                "*La machine|*Le détartrage|*Le réassort des consommables|Le nettoyage des locaux",
                "Machine, entretien et réassort : le client ne s'occupe de rien.",
            ),
            (
                "true_false",
                "On peut changer de machine en cours de contrat si l'effectif double.",
                "vrai",
                "Le changement est prévu au contrat : un argument pour les entreprises en croissance.",
            ),
            (
                "ordering",
                "L'ordre du rendez-vous de renouvellement ?",
                "Faire le bilan de consommation|Recueillir les retours des salariés|Proposer l'évolution|Signer l'avenant",
                "Les chiffres d'abord, les retours ensuite, puis la proposition.",
            ),
        ],
    },
    {
        "title": "Fidéliser ses clients",
        "title_en": "Keeping customers",
        "topic": "Fidélisation client",
        "audience": "company",
        "pass_mark": 60,
        "leaderboard": True,
        "questions": [
            (
                "single",
                "Quel est le meilleur moment pour appeler un client après une installation ?",
                "Le jour même|*Une semaine après|Trois mois après|Au renouvellement",
                "Une semaine : assez pour avoir un avis, assez tôt pour corriger.",
            ),
            (
                "true_false",
                "Un client qui a eu un problème bien résolu est souvent plus fidèle qu'avant.",
                "vrai",
                "Un problème bien traité crée de la confiance : d'où l'importance de boucler.",
            ),
            (
                "multiple",
                "Quels signaux annoncent un client qui risque de partir ?",
                "*Des commandes qui baissent|*Des appels au service client répétés|Une nouvelle commande de PLV|*Un nouveau gérant",
                "Baisse, irritation, changement d'interlocuteur : trois raisons d'aller le voir.",
            ),
            (
                "ordering",
                "L'ordre d'une visite de fidélisation ?",
                "Demander comment ça va|Vérifier la machine|Présenter une nouveauté|Fixer le prochain rendez-vous",
                "On écoute d'abord, on vérifie, on apporte quelque chose, on garde le lien.",
            ),
        ],
    },
    {
        "title": "Prospection : décrocher le premier rendez-vous",
        "title_en": "Prospecting: getting the first meeting",
        "topic": "Prospection",
        "audience": "company",
        "pass_mark": 70,
        "questions": [
            (
                "single",
                "Quel est le meilleur créneau pour appeler un restaurant ?",
                "Midi|*Entre 15 h et 17 h|20 h|Le samedi soir",
                "Entre les services : le gérant a le temps d'écouter.",
            ),
            (
                "multiple",
                "Que préparer avant d'appeler un prospect ?",
                "*Son activité et sa taille|*Le nom du décideur|Un contrat pré-rempli|*Une raison de venir le voir",
                "Savoir à qui l'on parle et pourquoi on veut le voir.",
            ),
            (
                "true_false",
                "Il faut annoncer le prix dès le premier appel.",
                "faux",
                "Le premier appel sert à obtenir le rendez-vous, pas à vendre.",
            ),
            (
                "ordering",
                "L'ordre d'un appel de prospection ?",
                "Se présenter|Donner la raison de l'appel|Poser une question ouverte|Proposer un rendez-vous",
                "Court, clair, une question, une proposition.",
            ),
        ],
    },
]
