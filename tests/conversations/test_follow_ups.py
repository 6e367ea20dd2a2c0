"""A conversation through the real servers: follow-ups, yes and no, pending question, two needs.

The action server's clock is pinned (TCHATCHE_NOW, Monday 21 December 2026, 10:00) so that every
answer that depends on the day is checked against one known day.
"""

from __future__ import annotations

import re
import uuid

import pytest

from actions.territory.loader import territory
from tests.conftest import PINNED_NOW
from tests.servers import Servers
from tests.test_indices import PROCURATION_STORY

NOW = PINNED_NOW
NOT_UNDERSTOOD = "pas sûr d'avoir compris"
SP = "https://www.service-public.gouv.fr/particuliers/vosdroits/"


@pytest.fixture(scope="module")
def servers(pinned_servers):
    """The session's servers pinned on NOW (tests/conftest.py)."""
    return pinned_servers


class Resident:
    """One resident's conversation: each `say` returns the text of the replies to that message."""

    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self.sender = f"conv-{uuid.uuid4().hex[:10]}"
        self.replies: list[dict] = []

    def say(self, text: str) -> str:
        self.replies = self.servers.send(self.sender, text)
        return "\n".join(r.get("text", "") for r in self.replies)

    @property
    def buttons(self) -> list[str]:
        return [b["title"] for r in self.replies for b in r.get("buttons") or []]


def test_a_head_count_is_checked_against_the_salle(servers):
    """« on sera 120 » after the salle of Beugnâtre (100 places): too small, said plainly, with
    the mairie's number; « on sera 80 »: it fits. Asked in the first question, the same."""
    beugnatre = territory().by_name("Beugnâtre")
    assert beugnatre.salle_des_fetes.capacite == 100
    resident = Resident(servers)
    resident.say("la salle des fetes de beugnatre c combien ?")
    answer = resident.say("on sera 120")
    assert "Pour 120 personnes" in answer and "trop petite" in answer, answer
    assert beugnatre.mairie.telephone in answer
    answer = resident.say("et si on est 80 ?")
    assert "pour 80 personnes, c'est possible" in answer, answer
    other = Resident(servers)
    answer = other.say("je voudrais louer la salle des fetes de bapaume pour 350 personnes")
    assert "Pour 350 personnes" in answer and "trop petite" in answer, answer


def test_telling_the_caf_is_answered_for_the_life_event_in_course(servers):
    """« il faut prevenir la caf ? » after a birth: the birth to signal to the Caf with the act
    (F2552), not the Caf's nearest office; after a move: the online change of address; with no
    life event in course, the Caf's own referral stays."""
    parent = Resident(servers)
    parent.say("ma femme a accouche hier a arras, on doit faire quoi ?")
    answer = parent.say("il faut prevenir la caf ?")
    assert "Signalez la naissance à votre Caf" in answer, answer
    assert SP + "F2552" in answer
    newcomer = Resident(servers)
    newcomer.say("on vient d emmenager a bancourt, il faut faire quoi ?")
    answer = newcomer.say("et la caf ?")
    assert "changement d'adresse en ligne prévient la Caf" in answer, answer
    bereaved = Resident(servers)
    bereaved.say("mon pere est decede cette nuit a la maison a bapaume")
    answer = bereaved.say("faut prevenir la caf aussi ?")
    assert "touchait des aides de la Caf" in answer, answer
    alone = Resident(servers)
    answer = alone.say("il faut prevenir la caf ?")
    assert "Signalez la naissance" not in answer and "changement d'adresse" not in answer, answer


def test_a_commune_written_as_it_sounds_is_that_commune(servers):
    """« bapomme » is too far from Bapaume for a typo (0.71), the same when spoken: Bapaume's
    hours, not « Je ne connais pas la commune »."""
    answer = Resident(servers).say("la mairie de bapomme c ouvert quand ?")
    assert "mairie de Bapaume" in answer, answer
    assert "ne connais pas" not in answer


def test_when_after_bulky_waste_is_the_dechetterie_not_the_mairie(servers):
    """« c est quand ? » after the encombrants of Bucquoy: no collection day, the déchetterie's
    hours one button away; the mairie's hours were given."""
    resident = Resident(servers)
    resident.say("y a t il un ramassage des encombrants a bucquoy")
    answer = resident.say("c est quand ?")
    assert "pas de jour de ramassage des encombrants" in answer, answer
    assert "Horaires habituels de la mairie" not in answer
    assert "Horaires de la déchetterie" in resident.buttons
    terr = territory()
    site = terr.dechetteries[terr.by_name("Bucquoy").collecte.dechetterie]
    answer = resident.say("/dechetterie")
    assert site.adresse in answer, answer


def test_the_price_after_a_lost_family_booklet_is_the_booklets(servers):
    """« et ca coute combien ? » after a lost livret de famille: the booklet is free (F11994);
    the answer spoke of birth, marriage and death acts."""
    resident = Resident(servers)
    resident.say("on a perdu notre livret de famille, on habite a bancourt, comment on fait ?")
    answer = resident.say("et ca coute combien ?")
    assert "livret de famille est gratuit" in answer, answer
    assert SP + "F11994" in answer and "Un acte de naissance" not in answer


def test_a_date_gone_by_for_the_census_is_what_happens_then(servers):
    """« et si on a depasse la date ? » after the recensement: still possible until 25, and what
    is missed without it; the whole answer was given again."""
    resident = Resident(servers)
    resident.say("bonjour mon fils a 16 ans il doit se faire recenser on habite a sapignies")
    answer = resident.say("et si on a depasse la date ?")
    assert "jusqu'à 25 ans" in answer, answer
    assert "Tout jeune Français doit se faire recenser" not in answer


def test_caution_follow_up_is_the_amount_of_that_communes_salle(servers):
    commune = territory().by_name("Bancourt")
    resident = Resident(servers)
    first = resident.say("bonjour c combien pour louer la salle des fetes a bancourt")
    assert "Bancourt" in first
    answer = resident.say("et la caution c'est combien ?")
    assert NOT_UNDERSTOOD not in answer
    assert f"caution pour la salle des fêtes est de {commune.salle_des_fetes.caution} €" in answer


def test_who_decides_after_a_tax_referral_is_answered_not_the_commune_question(servers):
    resident = Resident(servers)
    resident.say("bonjour je paye trop de taxe fonciere a qui je m'adresse")
    answer = resident.say("c'est la mairie qui décide ?")
    assert "finances publiques" in answer
    assert "taux" in answer
    assert "Dans quelle commune" not in answer


def test_saturday_after_the_hours_gives_saturday(servers):
    resident = Resident(servers)
    resident.say("horaires de la mairie de bapaume")
    answer = resident.say("et le samedi ?")
    assert NOT_UNDERSTOOD not in answer
    assert re.search(r"samedi\b.*9 h à 12 h", answer)


def test_lost_identity_card_national_part_first_then_only_the_local_part(servers):
    resident = Resident(servers)
    first = resident.say("j'ai perdu ma carte d'identité")
    assert "25 €" in first  # the timbre fiscal of a lost card
    assert "pas besoin d'aller à la police" in first.lower()
    assert "dans quelle commune habitez-vous" in first.lower()
    local = resident.say("c'est à Grévillers")
    assert "La mairie de Grévillers ne prend pas ces demandes" in local
    assert "Bapaume" in local
    assert "25 €" not in local  # not said twice
    assert "C'est noté" not in local


def test_no_commune_still_leaves_with_the_general_answer(servers):
    resident = Resident(servers)
    resident.say("je veux refaire mon passeport")
    answer = resident.say("non")
    assert "Sans votre commune" in answer
    resident = Resident(servers)
    resident.say("c quoi les horaires de la mairie")
    assert "Sans votre commune" in resident.say("non je prefere pas dire")


def test_yes_the_pdf_sends_the_document_again(servers):
    resident = Resident(servers)
    first = resident.say("le pv du dernier conseil municipal de bucquoy")
    links = re.findall(r"/d/[\w-]+", first)
    assert links
    again = resident.say("oui le pdf svp")
    assert re.findall(r"/d/[\w-]+", again), again
    assert "du conseil municipal" in again
    # Sent again, a menu is described as the first time: its week, not the day it was filed.
    resident = Resident(servers)
    first = resident.say("je voudrais le menu de la cantine de Bapaume")
    again = resident.say("oui le pdf svp")
    period = re.search(r"valable du [^.]*?2026", first)
    assert period and period.group(0) in again, (first, again)


def test_is_it_organic_after_the_menu_gets_the_rule_not_the_menu_again(servers):
    """« et c est bio ? » after the canteen's menu: the share of organic food the law sets for
    every canteen (F24570); the menu used to be sent again."""
    resident = Resident(servers)
    resident.say("je voudrais le menu de la cantine de Bapaume")
    answer = resident.say("et c est bio ?")
    assert "au moins 20 % de produits bio" in answer, answer
    assert SP + "F24570" in answer
    assert not re.findall(r"/d/[\w-]+", answer), "the menu is not sent again"


def test_no_to_anything_else_closes_politely_without_the_menu(servers):
    resident = Resident(servers)
    resident.say("horaires mairie bapaume")
    answer = resident.say("non")
    assert "Bonne journée" in answer
    assert resident.buttons == []


def test_a_greeting_then_who_one_is_gets_listened_to(servers):
    """An elderly resident greets and says who she is before asking: no « pas compris »."""
    answer = Resident(servers).say("bonjour je suis une dame agee")
    assert "Je vous écoute" in answer
    assert "pas bien compris" not in answer


def test_thanks_and_goodbye_close_without_restarting_the_menu(servers):
    resident = Resident(servers)
    resident.say("horaires mairie bucquoy")
    resident.say("merci beaucoup")
    assert resident.buttons == []
    assert "Au revoir" in resident.say("au revoir")
    assert resident.buttons == []


def test_two_needs_in_one_message_get_two_answers(servers):
    resident = Resident(servers)
    answer = resident.say("les horaires de la mairie de Bapaume et où jeter mes pneus")
    assert "La mairie de Bapaume" in answer
    assert "Votre autre question : « où jeter mes pneus »" in answer
    assert "déchetterie" in answer.split("Votre autre question")[1].lower()


def test_an_emergency_in_a_follow_up_still_comes_first(servers):
    resident = Resident(servers)
    resident.say("louer la salle des fetes de bapaume")
    answer = resident.say("et la caution ? ya le feu dans la cuisine de la salle")
    assert "18" in answer and "112" in answer


def test_a_birth_at_home_is_declared_at_that_communes_mairie_then_who_declares(servers):
    resident = Resident(servers)
    answer = resident.say(
        "bonsoir, ma femme a accouche a la maison cette nuit a ligny thilloy, "
        "on doit declarer ou le bebe ?"
    )
    ligny = territory().by_name("Ligny-Thilloy").mairie
    assert "déclarez-la à la mairie de Ligny-Thilloy" in answer
    assert ligny.telephone in answer
    # Monday 21 December, 10:00: the answer says when that mairie opens next.
    assert re.search(r"ouverte en ce moment|prochaine ouverture", answer)
    follow_up = resident.say("c est qui qui doit declarer ?")
    assert "le père" in follow_up
    assert NOT_UNDERSTOOD not in follow_up


def test_a_broken_bin_told_in_fragments_reaches_the_waste_service(servers):
    """An elderly resident: « c'est pour ma poubelle », « elle est cassée », then the commune."""
    resident = Resident(servers)
    resident.say("c est pour ma poubelle")
    resident.say("elle est cassee")
    answer = resident.say("j habite grevillers")
    assert "bac cassé" in answer
    assert "Quel est le problème ?" not in answer, "no street report form for a broken bin"


def test_a_follow_up_naming_another_topic_answers_that_topic(servers):
    resident = Resident(servers)
    resident.say("bonjour on arrive a beaulencourt en fevrier avec nos 2 enfants")
    answer = resident.say("et la cantine c est combien ?")
    assert "changement d'adresse" not in answer
    assert re.search(r"(?i)cantine|école", answer)


def test_a_short_question_about_the_mairies_hours_for_a_procedure_gets_the_hours(servers):
    # tchatche_nlu/indices.yml, `questions`: the mairie + opening words in a short message.
    answer = Resident(servers).say(
        "la mairie de bucquoy c ouvert quand pour les listes electorales ?"
    )
    assert re.search(r"La mairie de Bucquoy (est|sera|ouvre|rouvre)", answer), answer
    assert "inscri" not in answer.lower()


def test_a_long_story_whose_cues_name_one_topic_gets_that_topic(servers):
    # Without the story rule (doute_recit), DIET hesitates between the lists and procuration and
    # the resident gets « Vouliez-vous dire … ? »; the story's cues name procuration only.
    answer = Resident(servers).say(PROCURATION_STORY)
    assert "procuration" in answer.lower(), answer
    assert "Vouliez-vous dire" not in answer


def test_a_death_then_at_home_names_the_mairie_of_the_residents_commune(servers):
    grevillers = territory().by_name("Grévillers").mairie
    resident = Resident(servers)
    resident.say("bonjour j'habite grevillers")
    resident.say("mon pere est decede cette nuit")
    answer = resident.say("chez lui")
    assert NOT_UNDERSTOOD not in answer
    assert "c'est la mairie de Grévillers qui établit l'acte de décès" in answer
    assert grevillers.telephone in answer


def test_a_birth_told_as_a_story_names_the_maternitys_town(servers):
    answer = Resident(servers).say(
        "ma fille a eu un bebe hier a la clinique d'arras, elle habite favreuil. "
        "elle doit faire quoi ?"
    )
    assert "Vouliez-vous dire" not in answer
    assert "déclarez-la à la mairie d'Arras" in answer


def test_an_age_after_the_school_says_which_school_and_sixteen_is_the_recensement(servers):
    resident = Resident(servers)
    resident.say("on est nouveaux a bucquoy, pour inscrire notre fille a l'ecole comment on fait")
    answer = resident.say("elle a 4 ans")
    assert "Vouliez-vous dire" not in answer
    assert "école maternelle" in answer
    # Another child, another need: the age of the recensement (tchatche_nlu/indices.yml).
    answer = resident.say("et mon grand de 16 ans il doit faire quoi")
    assert "recenser" in answer
    assert "maternelle" not in answer


# One question, then a follow-up read against its topic: (first, follow-up, said, not said).
TWO_TURNS = [
    (  # aspect lieu_evenement, no commune known: whose mairie
        "mon mari est mort hier soir",
        "a la maison",
        ["la mairie de votre commune"],
        ["Je n'ai pas bien compris"],
    ),
    (  # qui_fait after a death: the establishment often declares it
        "bonjour mon papa est decede a l'ehpad de bapaume dimanche",
        "on doit aller a la mairie ?",
        ["l'établissement s'en charge souvent"],
        ["Vouliez-vous dire"],
    ),
    (  # not understood by DIET, but its cue words name the cemetery, in Morval
        "bonjour mon papa est decede a l'ehpad de bapaume dimanche",
        "et pour le mettre dans le caveau de la famille a morval ?",
        ["Pour le cimetière de Morval", territory().by_name("Morval").mairie.telephone],
        ["Je ne sais pas répondre", "Désolé"],
    ),
    (  # qui_fait for the hedges
        "bjr je voudrais savoir pour la taille des haies chez mon voisin ca depasse",
        "c'est a lui de couper ?",
        ["propriétaire de la haie"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect disponible: the mairie keeps the bookings, not its opening hours that day
        "je voudrais louer la salle des fetes de bancourt",
        "et pour le 31 decembre c'est libre ?",
        ["Pour savoir si une date est libre", territory().by_name("Bancourt").mairie.telephone],
        ["Horaires habituels"],
    ),
    (  # aspect cendres, before « à la maison » (the place of the death)
        "ma maman est partie ce matin a l ehpad de bapaume, on voudrait une cremation,"
        " c est la mairie qui autorise ?",
        "et les cendres on peut les garder a la maison ?",
        ["interdit de garder les cendres à la maison"],
        ["Le décès a eu lieu à"],
    ),
    (  # aspect hauteur for the hedges
        "mon voisin a une haie de 3 metres qui depasse chez moi a sapignies",
        "c est quoi la hauteur maxi ?",
        ["ne doit pas dépasser 2 mètres de haut"],
        ["Vouliez-vous dire"],
    ),
    (  # « c'est à la mairie ? » is where, after the Pacs
        "bjr je voudrais faire un pacs avec ma copine on habite a thilloy",
        "c est a la mairie ?",
        ["ou chez le notaire de votre choix"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect accepte after the déchetterie: not the CPAM
        "la decheterie de bapaume elle ouvre quand",
        "on peut amener de l amiante ?",
        ["Chaque déchetterie a sa liste"],
        ["CPAM", "Assurance maladie"],
    ),
    (  # the canteen's price after the school: not the school's papers again
        "on vient d arriver a beaulencourt, pour l ecole du petit de 6 ans on fait comment",
        "et la cantine c est combien",
        ["La cantine et la garderie sont payantes"],
        ["carnet de santé"],
    ),
    (  # DIET reads the same topic: the follow-up is still answered on its own
        "la carte d identite",
        "elle est perimee depuis 2 ans",
        ["Périmée depuis moins de 5 ans"],
        ["pré-demande en ligne"],
    ),
    (  # qui_fait for a procuration given by someone else's father
        "mon pere de 85 ans vit seul a courcelette, il peut voter par procuration ?",
        "qui peut voter pour lui ?",
        ["Toute personne inscrite sur une liste électorale"],
        ["Vouliez-vous dire"],
    ),
    (  # presence after the procuration: not a complaint at the gendarmerie
        "mon pere de 85 ans vit seul a courcelette, il peut voter par procuration ?",
        "il doit aller a la gendarmerie ?",
        ["un policier ou un gendarme peut venir chez vous"],
        ["plaintes"],
    ),
    (  # « où ? » ending the question wins over « je dois aller » (who goes)
        "bonsoir je voudrais faire une procuration pour les elections, je serai en vacances",
        "et je dois aller ou ?",
        ["n'importe quel commissariat, gendarmerie ou tribunal"],
        ["Toute personne inscrite"],
    ),
    (  # an elderly resident who cannot move, after the identity card
        "je n'ai plus de carte d'identite",
        "je ne peux pas me deplacer",
        ["Un agent de la mairie peut alors venir chez vous"],
        ["Vouliez-vous dire"],
    ),
    (  # « faut s'inscrire ? » after bulky waste: no fallback
        "les encombrants passent quand a bucquoy ?",
        "faut s'inscrire ?",
        ["Pour la déchetterie, non"],
        ["Vouliez-vous dire"],
    ),
    (  # a sofa named after bulky waste: accepted, not the whole answer again
        "les encombrants passent quand a bucquoy ?",
        "et un canape ca passe ?",
        ["En général, oui : meubles, matelas"],
        ["Un appareil en état de marche"],
    ),
    (  # the place of the birth said in the first message answers « où ? » (SMS « jai »)
        "jai eu un bebe samedi a la clinique de arras",
        "on doit la declarer ou",
        ["Pour une naissance à Arras : déclarez-la à la mairie d'Arras"],
        ["par exemple la commune de la maternité"],
    ),
    (  # the same for a death, asked « on va où pour déclarer »
        "mon pere est decede ce matin a l'ehpad de bapaume",
        "on va ou pour declarer",
        ["c'est la mairie de Bapaume qui établit l'acte de décès", "03 53 01 00 15"],
        ["Vouliez-vous dire"],
    ),
    (  # the price of a carte grise: no « Je n'ai pas cette précision »
        "je dois refaire ma carte grise, c'est a la mairie ?",
        "et ca coute combien",
        ["taxe régionale", "F19211"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « sur quel site » is the online route
        "je dois refaire ma carte grise",
        "je le fais sur quel site",
        ["immatriculation.ants.gouv.fr", "point numérique"],
        ["Vouliez-vous dire"],
    ),
    (  # « je la reçois quand » is the delay
        "je dois refaire ma carte grise",
        "et je la recois quand",
        ["7 jours ouvrés"],
        ["Dans quelle commune"],
    ),
    (  # a tax complaint
        "bonjour j'ai recu un avis de taxe fonciere trop eleve",
        "je peux contester ?",
        ["Faites une réclamation", "F110"],
        ["Je n'ai pas cette précision"],
    ),
    (  # the nearest office asked with the commune, before the commune question is answered
        "ma fille de 18 ans cherche du travail, elle a arrete ses etudes, ou elle peut aller",
        "c'est ou le plus pres de bapaume",
        ["Pour Bapaume, le bureau le plus proche est : Mission locale"],
        ["Dites-moi votre commune"],
    ),
    (  # « c grave ? » after a forgotten recensement: what it costs, not the CPAM
        "mon fils a eu 16 ans en septembre on a oublie le recensement",
        "c grave ?",
        ["Sans recensement, il n'est pas convoqué", "jusqu'à 25 ans"],
        ["ameli"],
    ),
    (  # « faut prendre rdv ? » after the PACS: the mairie of the commune, not the booking of titles
        "c possible de se pacser a la mairie de favreuil",
        "faut prendre rdv ?",
        ["le Pacs s'enregistre sur rendez-vous"],
        ["mairie équipée"],
    ),
    (  # a sister living elsewhere may vote for the resident
        "je serai pas la pour les elections, comment je fais pour voter quand meme",
        "ma soeur peut voter pour moi ? elle habite lille",
        ["peut voter à la place de l'absent"],
        ["Préparez votre numéro national"],
    ),
    (  # « il y a une cuisine ? » after the salle: DIET read a question about the assistant
        "la salle des fetes de vaulx on peut la louer pour un mariage ?",
        "il y a une cuisine ?",
        ["Je n'ai pas la liste de l'équipement de la salle", "03 53 01 00 33"],
        ["assistant automatique"],
    ),
    (  # how late a party may go: the salle's rules, not the mairie's hours
        "la salle des fetes de vaulx on peut la louer pour un mariage ?",
        "on peut rester jusqu'a quelle heure",
        ["règlement de la salle"],
        ["Horaires habituels de la mairie"],
    ),
    (  # the cleaning
        "la salle des fetes de vaulx on peut la louer pour un mariage ?",
        "et le menage c'est a nous ?",
        ["vous rendez la salle propre et rangée"],
        ["Je n'ai pas cette précision"],
    ),
    (  # an access card at the déchetterie: DIET read a residence permit
        "dechetterie bapaume horaires",
        "faut une carte pour rentrer ?",
        ["réservée aux habitants du territoire", "carte d'accès"],
        ["titres de séjour"],
    ),
    (  # « il faut faire une déclaration ? » after a lost licence: not urbanism's
        "j'ai perdu mon permis de conduire",
        "il faut faire une declaration ?",
        ["la déclaration se fait en ligne, en même temps que la demande de nouveau permis"],
        ["déclaration préalable"],
    ),
    (  # its price
        "j'ai perdu mon permis de conduire",
        "ca coute combien",
        ["le nouveau permis coûte 25 €"],
        ["Je n'ai pas cette précision"],
    ),
    (  # a complaint online
        "je voudrais porter plainte pour une arnaque sur internet",
        "je peux le faire en ligne ?",
        ["pré-plainte en ligne"],
        ["Je n'ai pas cette précision"],
    ),
    (  # the amount of a CAF aid
        "je voudrais savoir si j'ai droit aux APL",
        "c'est combien",
        ["simulation gratuite sur caf.fr"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « et pour la banque ? » after a death: not the whole answer and condolences again
        "mon papa est mort",
        "et pour la banque ?",
        ["Prévenez les banques du défunt", "Ficoba"],
        ["condoléances"],
    ),
    (  # « maternelle » names school enrolment (DIET hesitated), then the age
        "bonjour ma fille rentre en maternelle en septembre a bapaume",
        "c'est a partir de quel age",
        ["L'instruction est obligatoire dès 3 ans", "2 ans"],
        ["Vouliez-vous dire", "assistant automatique"],
    ),
    (  # « et la plus proche ? » after « la mairie de Bihucourt ne prend pas ces demandes »
        "slt jveux savoir si la mairie de bihucourt fait les passeports",
        "ok et la plus proche alors",
        ["La plus proche pour vous : la mairie de Bapaume"],
        ["pré-demande"],
    ),
    (  # an elderly resident in fragments: « elle peut pas aller voter » is a procuration
        "c'est pour ma femme",
        "elle peut pas aller voter",
        ["Donnez procuration à un autre électeur"],
        ["Vouliez-vous dire"],
    ),
    (  # « je voudrais savoir » alone: DIET read a residence permit (0.99), asked the commune
        "bonjour monsieur",
        "je voudrais savoir",
        ["Je vous écoute"],
        ["titres de séjour", "Dans quelle commune"],
    ),
    (  # « on a 5 jours c'est ça ? » after a birth: DIET read nothing (0.45); the delay
        "ma fille est nee samedi a la maternite d'arras, on habite a bapaume",
        "on a 5 jours c'est ca ?",
        ["Dans les 5 jours qui suivent l'accouchement"],
        ["pas bien compris", "Vouliez-vous dire"],
    ),
    (  # aspect presence after a birth: who may declare, and the father's own recognition
        "ma fille est nee samedi a la maternite d'arras, on habite a bapaume",
        "et le papa doit venir ?",
        ["Ce n'est pas obligatoire", "reconnaît l'enfant"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect presence after bulky waste: a pick-up at home, or a neighbour
        "slt c pour les encombrants, mon vieux canape",
        "et si je peux pas le descendre tout seul ?",
        ["ramassage à domicile"],
        ["Je n'ai pas cette précision"],
    ),
    (  # another week of the document just sent: the same kind, that week (or the nearest)
        "le menu de la cantine de bapaume",
        "et celui de la semaine prochaine",
        ["Menu de la cantine"],
        ["Vouliez-vous dire", "pas sûr d'avoir compris"],
    ),
    (  # « je voudrais » alone, the object to come: DIET read nothing (0.45), and « Vouliez-vous
        # dire » offered building permits
        "bonjour",
        "je voudrais",
        ["Je vous écoute"],
        ["Vouliez-vous dire", "permis"],
    ),
    (  # an appointment for a child's identity card: DIET read the card (0.80) before the
        # appointment (0.56); the booking starts once the commune is known
        "je voudrai un rendez vous pour faire la carte d'identite de mon fils",
        "bancourt",
        ["Je peux réserver votre rendez-vous", "C'est noté : carte d'identité"],
        [],
    ),
    (  # « non merci bonne journée » closes the conversation
        "c koi les horaires de la mairie de sapignies",
        "non merci bonne journee",
        ["Au revoir"],
        ["autre question"],
    ),
    (  # aspect nom after a birth: not the mayor's name
        "ma femme a accouche hier a arras, on habite sapignies, faut faire quoi ?",
        "et le nom de famille on choisit quand ?",
        ["déclaration conjointe de choix de nom"],
        ["Le maire de"],
    ),
    (  # the price after a broken bin: the manager says, not « Je n'ai pas cette précision »
        "le bac jaune il est casse a bapaume",
        "c est gratuit ?",
        ["vous dit si le remplacement est payant"],
        ["Je n'ai pas cette précision"],
    ),
    (  # the price of a grave after the cemetery: set by each commune
        "je voudrais acheter une concession au cimetiere de bancourt",
        "c est cher ?",
        ["fixé par le conseil municipal"],
        ["Vouliez-vous dire"],
    ),
    (  # how long a grave lasts, after the cemetery
        "je voudrais acheter une concession au cimetiere de bancourt",
        "ca dure combien d annees ?",
        ["temporaire (5 à 15 ans)"],
        ["Vouliez-vous dire"],
    ),
    (  # « oui » to « Voulez-vous un autre document ? »: which one
        "le compte rendu du dernier conseil municipal de bapaume",
        "oui",
        ["Quel document cherchez-vous ?"],
        ["Je n'ai pas trouvé"],
    ),
    (  # « combien de jours » is the delay, not the price, after a birth
        "ma fille a accouche hier a arras",
        "on a combien de jours",
        ["Dans les 5 jours"],
        ["gratuite"],
    ),
    (  # aspect medecin after a death at home (the model read « appeler »: the mairie's contact)
        "mon pere est mort cette nuit a la maison a bucquoy",
        "qui doit appeler le medecin ?",
        ["médecin traitant", "appelez le 15", "certificat de décès"],
        ["Adresse e-mail"],
    ),
    (  # « il y a de la place ? » at the cemetery: the mairie knows; who has a right to a grave
        "on voudrait enterrer mon mari au cimetiere de beugnatre",
        "il y a de la place ?",
        ["s'il reste de la place", "décédées dans la commune"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect pompes_funebres after a death
        "mon pere est decede cette nuit a la maison",
        "les pompes funebres s occupent de quoi",
        ["organisent les obsèques", "devis"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect surface after works: which authorisation for how many m²
        "je veux construire un garage de 30 m2",
        "il faut un permis ?",
        ["plus de 20 m² : un permis de construire"],
        ["Utilisez le formulaire officiel"],
    ),
    (  # aspect droit after the hedges (DIET read the CAF's « droits »)
        "la haie du voisin depasse chez moi",
        "il a le droit ?",
        ["vous pouvez exiger qu'il les coupe"],
        ["CAF"],
    ),
    (  # the price of bulky waste
        "comment me debarrasser d un vieux canape a Favreuil",
        "c est payant ?",
        ["en général gratuit"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect capacite, before the price (« combien »)
        "je voudrais louer la salle des fetes de Sapignies pour un anniversaire",
        "on peut mettre combien de personnes",
        [f"jusqu'à {territory().by_name('Sapignies').salle_des_fetes.capacite} personnes"],
        ["Location pour un week-end"],
    ),
    (  # aspect urgent after a lost identity card: the temporary passport (F1373)
        "j ai perdu ma carte d identite a Morval",
        "c est urgent je pars en voyage dans 10 jours",
        ["passeport temporaire"],
        ["pas bien compris", "pas sûr"],
    ),
    (  # a move named in words; then « qu'est-ce qu'on doit faire ? » gives its steps again
        "on vient d acheter une maison a Grevillers",
        "qu est ce qu on doit faire",
        ["démarches utiles à l'arrivée"],
        ["condoléances"],
    ),
    (  # « école » names the school after moving in
        "on vient d acheter une maison a Grevillers",
        "et pour l ecole des enfants",
        ["certificat d'inscription"],
        ["pas sûr", "Désolé"],
    ),
    (  # no condolences without a word of death (DIET read « décès » at 0.6)
        "bonjour",
        "qu est ce qu on doit faire",
        [],
        ["condoléances", "Félicitations"],
    ),
    (  # aspect presence after the recensement: a parent may go instead (F870)
        "bonsoir le recensement de mon fils il a eu 16 ans, on est a Vaulx-Vraucourt",
        "il doit venir avec moi ?",
        ["l'un de ses parents peut la faire à sa place"],
        ["pas sûr"],
    ),
    (  # aspect recours after the recensement: what happens without it
        "bonsoir le recensement de mon fils il a eu 16 ans, on est a Vaulx-Vraucourt",
        "et s il le fait pas ?",
        ["jusqu'à 25 ans", "permis de conduire"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « on peut amener des gravats ? » after the déchetterie: its list, from its manager
        "slt c koi les horaires dechetterie a bapaume",
        "on peut amener des gravats ?",
        ["Chaque déchetterie a sa liste", "gestionnaire des déchets"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « permanences » of the mayor (DIET read the gendarmerie's complaints)
        "c'est qui le maire de Beugnatre",
        "il fait des permanences ?",
        ["reçoivent en général sur rendez-vous", territory().by_name("Beugnâtre").mairie.telephone],
        ["gendarmerie"],
    ),
    (  # « trop tard » is the delay, after the lists
        "je veux m inscrire sur les listes electorales a Sapignies",
        "c est trop tard pour les municipales ?",
        ["6e mercredi avant le premier tour"],
        ["pas sûr"],
    ),
    (  # an election named after moving in: the lists, with their deadlines
        "je viens d arriver a Sapignies",
        "c est trop tard pour les municipales ?",
        ["6e mercredi avant le premier tour"],
        ["pas sûr"],
    ),
    (  # « par mail » is sending online (the first aspect named decides), not the CAF
        "on voudrait faire une demande de permis pour une veranda a Bihucourt, on le depose ou ?",
        "on peut l envoyer par mail ?",
        ["dossier d'urbanisme envoyé en ligne"],
        ["CAF"],
    ),
    (  # aspect bac: « et les grises ? » after the bins is the grey bin's day, not the carte grise
        "jhabite rue de bapaume a favreuil, c quand les poubelles jaunes",
        "et les grises ?",
        [f"le {territory().by_name('Favreuil').collecte.ordures_menageres}", "bac gris"],
        ["carte grise", "cartes grises"],
    ),
    (  # « il est mort » is a death
        "bonjour",
        "il est mort en mars",
        ["condoléances"],
        ["pas bien compris"],
    ),
    (  # aspect lieu_evenement after a procuration: the absent person makes it, the police come
        "je voudrais faire une procuration",
        "c'est pour ma mere elle est a l'ehpad",
        ["C'est la personne qui ne pourra pas voter qui fait la procuration", "gendarme"],
        ["Vouliez-vous dire", "condoléances"],
    ),
    (  # aspect prix after the canteen's menu: who fixes the price of a meal
        "le menu de la cantine de bucquoy",
        "c'est combien le repas",
        ["Le prix du repas est fixé par la commune"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « on vient d'arriver » (indices.yml): moving in, with its steps one by one
        "bonjour",
        "on vient d'arriver a bucquoy avec les enfants",
        ["Bienvenue dans votre nouvelle commune"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect sans_reponse after works: the tacit agreement, and its exception
        "je veux construire un garage de 30m2 a avesnes les bapaume",
        "et si la mairie repond pas ?",
        ["accord tacite", "monument historique"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect lieu, « je dépose où » after works: the mairie of the terrain's commune
        "je veux construire un garage de 30m2 a avesnes les bapaume",
        "je depose ou le dossier",
        ["à la mairie d'Avesnes-lès-Bapaume"],
        ["je ne sais pas répondre"],
    ),
    (  # aspect age after an identity card: what changes for a minor
        "ma fille a perdu sa carte d identite",
        "elle a 17 ans",
        ["Pour un mineur, l'enfant vient au guichet avec un parent", "42 €"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect perte: DIET read the « déclaration » of works (urbanisme)
        "ma fille a perdu sa carte d identite",
        "faut faire une declaration de perte ?",
        ["la perte se déclare à la mairie", "Pour un vol"],
        ["déclaration préalable", "permis"],
    ),
    (  # a date alone after the salle des fêtes (DIET: gibberish): is that day free
        "je voudrais reserver la salle des fetes de beaulencourt",
        "le 13 fevrier",
        [
            "Pour savoir si cette date est libre",
            territory().by_name("Beaulencourt").mairie.telephone,
        ],
        ["pas bien compris"],
    ),
    (  # aspect bruit before horaires: the salle's rules, not the justice office nor the hours
        "je voudrais reserver la salle des fetes de beaulencourt",
        "on peut faire du bruit jusqu a quelle heure",
        ["règlement de la salle"],
        ["justice", "Horaires habituels"],
    ),
    (  # a second, longer question on the birth: where, without congratulations again
        "ma fille va accoucher le mois prochain on habite a bapaume",
        "c'est la mairie d'où qui fait l'acte si elle accouche à Arras",
        ["Pour une naissance à Arras : déclarez-la à la mairie d'Arras."],
        ["Félicitations", "dans les 5 jours"],
    ),
    (  # aspect accepte after bulky waste: DIET read the justice office
        "bonjour les encombrants c quand a morval",
        "et on peut mettre un frigo ?",
        ["gros électroménager"],
        ["justice"],
    ),
    (  # aspect droit after a neighbour's works: irregular, the mairie, the 2 months
        "mon voisin a construit un abri de jardin sans autorisation a favreuil",
        "il a le droit ?",
        ["sans l'autorisation nécessaire sont irréguliers", "2 mois"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect ferie after the bins: the territory's rule, then the next holiday (clock pinned)
        "c quand les poubelles a favreuil",
        "et si c'est ferie ?",
        [
            "sauf le 1er janvier, le 1er mai et le 25 décembre",
            "Prochain jour férié, le vendredi 25 décembre (Noël) : la collecte est reportée",
        ],
        ["ramassées le vendredi"],
    ),
    (  # aspect horaires after an orientation: the office's hours, not the mairie's
        "je dois faire ma declaration d impots a avesnes les bapaume et j y comprends rien",
        "ils sont ouverts quand",
        ["Service des impôts des particuliers", "Ses horaires"],
        ["Horaires habituels de la mairie"],
    ),
    (  # « quitté l'école » is no cue of the school (indices.yml): never its enrolment steps
        "bonjour",
        "mon fils de 19 ans cherche du travail il a quitte l ecole",
        [],
        ["L'instruction est obligatoire dès 3 ans"],
    ),
    (  # a real commune outside the territory, given as the commune: outside, not unknown
        "horaires mairie",
        "beugny",
        ["Beugny ne fait pas partie des 26 communes", "renseignez-vous auprès de sa mairie"],
        ["Je ne connais pas la commune"],
    ),
    (  # aspect passage after bulky waste: not collected with the bins, the SMAV for a pick-up
        "jai un vieux frigo a jeter a bapaume",
        "et ils passent quand",
        ["ne sont pas ramassés avec les poubelles", "ramassage sur rendez-vous"],
        ["Meubles, matelas, électroménager"],
    ),
    (  # aspect premier after a death: the first step alone, no second condolences
        "mon mari est decede cette nuit au transloy",
        "qu est ce que je dois faire en premier",
        ["En premier, un médecin constate le décès"],
        ["Toutes nos condoléances"],
    ),
    (  # aspect ensuite after a move: what the list did not say, not the list again
        "on vient d emmenager a bucquoy",
        "quoi d autre",
        ["assurance habitation", "La Poste"],
        ["Bienvenue dans votre nouvelle commune"],
    ),
    (  # aspect premier after a move: what has a deadline first
        "on vient d emmenager a bucquoy",
        "par quoi je commence",
        ["Commencez par ce qui a un délai", "carte grise"],
        ["Bienvenue dans votre nouvelle commune"],
    ),
    (  # a surface glued to its unit, after a pool: the pool's thresholds, not the shed's
        "slt je vx faire une piscine hors sol dans mon jardin a Bucquoy faut declarer ?",
        "elle fait 12m2",
        ["c'est la surface du bassin qui compte", "de 10 à 100 m²"],
        ["Je n'ai pas bien compris", "de 5 à 20 m²"],
    ),
    (  # DIET read a commune (0.46) where none is named: the presence asked after a passport
        "je dois faire un passeport pour mon fils de 8 ans a villers au flos",
        "il doit venir ?",
        ["doit venir au guichet"],
        ["Je ne connais pas la commune"],
    ),
    (  # an elderly mother who lives alone: the CCAS and the APA (accompagnement domicile)
        "bonjour",
        "ma mere a 85 ans elle vit seule a Bapaume elle peut plus faire ses courses",
        ["centre communal d'action sociale (CCAS)", "APA"],
        ["Je n'ai pas bien compris"],
    ),
    (  # « il y a une aide ? » names DIET's `aide`, yet asks the topic in course: the APA
        "ma mere a besoin d une aide a domicile a bapaume",
        "il y a une aide ?",
        ["l'allocation personnalisée d'autonomie (APA)", "60 ans ou plus"],
        ["Je peux vous aider pour les démarches de votre commune"],
    ),
    (  # a greeting with a topic in three words: the topic, not « Bonjour ! » (DIET: 0.51)
        "bonjour les horaires svp",
        "Bucquoy",
        ["Horaires habituels de la mairie de Bucquoy"],
        ["C'est noté : vous habitez Bucquoy"],
    ),
    (  # aspect cantine after the school: its own enrolment, not the school's steps again
        "mon fils rentre au CP en septembre a Bihucourt il faut l inscrire ou",
        "et la cantine aussi ?",
        ["La cantine demande une inscription à part"],
        ["L'instruction est obligatoire dès 3 ans"],
    ),
    (  # aspect inscription after the menu: how to enrol, not the menu again
        "c est quoi le menu de la cantine a ligny thilloy",
        "et on inscrit comment ?",
        ["Inscrivez votre enfant à la cantine auprès de la mairie"],
        ["Menu de la cantine"],
    ),
    (  # aspect contact after bulky waste: the waste manager, not the mairie's card
        "les encombrants c est quand a grevillers",
        "il faut appeler qui",
        ["Ce n'est pas la mairie", "Syndicat mixte Artois Valorisation"],
        ["Mairie de Grévillers"],
    ),
    (  # aspect verifier after the lists, ending with « c'est où »: the online service
        "inscription liste electorale a bapaume",
        "et mon bureau de vote c'est ou",
        ["Interroger sa situation électorale", "carte électorale"],
        ["Inscrivez-vous dans la commune où vous habitez"],
    ),
    (  # aspect achat after the carte grise: within 1 month, the seller's papers
        "il faut quoi pour la carte grise",
        "je viens d acheter une voiture d occasion",
        ["1 mois pour faire la carte grise à votre nom", "code de cession"],
        ["Dans quelle commune"],
    ),
    (  # aspect lieu after the carte grise: online, no office to name
        "la carte grise ca se fait a la mairie ?",
        "c est fait ou",
        ["La mairie ne fait pas les cartes grises", "France Services"],
        ["Dites-moi votre commune"],
    ),
    (  # no birth word: DIET read a birth (0.66) for a lost cat; never congratulations
        "bonjour",
        "on a perdu notre chat dans le village",
        [],
        ["Félicitations", "naissance"],
    ),
    (  # the staff is no élu: the mairie's card, not « the élus receive by appointment »
        "bonjour",
        "je voudrais parler au secretaire de mairie de Sapignies",
        [territory().by_name("Sapignies").mairie.telephone],
        ["Le maire et les élus reçoivent"],
    ),
    (  # aspect verre after the bins: not in the bins, the waste manager for the columns
        "c quand les poubelles a bucquoy",
        "et le verre ?",
        ["Le verre ne va pas dans les bacs", "colonne à verre"],
        ["Calendrier de collecte"],
    ),
    (  # burning the garden's waste: forbidden (F31858), without the hedges' planting distances
        "bonjour",
        "est ce que je peux faire brûler mes branches dans le jardin",
        ["brûler ses déchets verts", "450 €", "La déchetterie accepte les déchets verts"],
        ["Vouliez-vous dire", "Appelez le 18", "Le Code civil fixe les distances"],
    ),
    (  # « a eu 16 ans »: the recensement (DIET hesitated with a death)
        "bonjour",
        "mon fils a eu 16 ans le mois dernier",
        ["Tout jeune Français doit se faire recenser"],
        ["Vouliez-vous dire", "Décès"],
    ),
    (  # neighbours' noise, not understood by DIET: the steps for noise, then the point-justice
        "bonjour",
        "mon voisin fait du bruit tous les soirs avec sa musique a Sapignies",
        ["Pour un bruit de voisinage", "Point-justice de Bapaume"],
        ["Je n'ai pas bien compris"],
    ),
    (  # « elle ouvre quand » after the mairie's address: its hours
        "ou est la mairie de Bucquoy",
        "et elle ouvre quand",
        ["Horaires habituels de la mairie de Bucquoy"],
        ["Adresse : Mairie"],
    ),
    (  # aspect autre_commune after a wedding to come: a parent's commune is allowed
        "on voudrait se marier a Ligny Thilloy l ete prochain",
        "on habite pas la commune mais mes parents oui",
        ["dans la commune où habite l'un de vos parents"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect temoins after a wedding to come, not the price of acts (« combien »)
        "on voudrait se marier a Ligny Thilloy l ete prochain",
        "il faut combien de temoins",
        ["2 témoins au moins, 4 au plus"],
        ["est gratuit"],
    ),
    (  # renewing a card before it expires: within the year before, said first
        "bonjour",
        "jsuis a Bapaume ma carte d identite expire en janvier je peux la refaire maintenant ?",
        ["dans l'année qui précède sa date de fin", "La mairie de Bapaume prend les demandes"],
        [],
    ),
    (  # « pension de réversion » names the pensions (territoire/orientation.yml, mots), not the
        # young people the ResponseSelector read (0.75)
        "bonjour",
        "mon pere est decede il y a 3 semaines, il faut faire quoi pour sa pension de reversion",
        ["La mairie ne gère pas les retraites"],
        ["mission locale"],
    ),
    (  # an old neighbour not seen for days, shutters closed: the emergency numbers first
        "bonjour",
        "ma voisine est tres agee et je ne l ai pas vue depuis 3 jours, ses volets sont fermes",
        ["appelez le 112"],
        ["Je n'ai pas bien compris"],
    ),
    (  # a number of guests after the salle: its capacity
        "je voudrais louer la salle le 20 juin a Bucquoy",
        "pour 120 personnes",
        ["jusqu'à 150 personnes"],
        ["Vouliez-vous dire"],
    ),
    (  # « ok je réserve comment » : DIET read the « ok »; the mairie books the salle
        "je voudrais louer la salle le 20 juin a Bucquoy",
        "ok je reserve comment",
        ["Pour savoir si une date est libre, et la réserver, appelez la mairie de Bucquoy"],
        ["Que voulez-vous savoir"],
    ),
    (  # new in the commune, « faut s'inscrire à la mairie ? » : no declaration, said first
        "bonjour",
        "on est nouveaux a Vaulx Vraucourt il faut s inscrire a la mairie ?",
        ["Vous n'avez pas à déclarer votre arrivée", "Bienvenue dans votre nouvelle commune"],
        ["Vouliez-vous dire"],
    ),
    (  # a teenager alone for the identity card: a parent comes, said first
        "bonjour",
        "mon ado de 17 ans veut faire sa carte d identite seul c possible ?",
        ["l'enfant vient avec un parent"],
        [],
    ),
    (  # aspect perte before presence: « je dois aller à la police ? » after a lost passport
        "g perdu mon passeport en vacances en espagne, jsuis de Bancourt",
        "je dois aller a la police ?",
        ["Pour une perte, non"],
        ["doit venir au guichet"],
    ),
    (  # thanks that go on with a question: the question (DIET read the thanks)
        "je voudrais une copie de mon acte de mariage, on s est marie a bapaume",
        "Merci. Est-ce payant ?",
        ["est gratuit"],
        ["Avec plaisir"],
    ),
    (  # a rodeo of motorbikes: the gendarmerie (orientation.yml, mots), not the mission locale
        "bonjour",
        "ya des jeunes qui font du rodeo en moto dans le village le soir",
        ["La mairie ne reçoit pas les plaintes", "17"],
        ["mission locale"],
    ),
    (  # a family grave already there, after the cemetery: its conditions, not the whole answer
        "pour enterrer ma mere au cimetiere de Beaulencourt avec mon pere",
        "on a deja une concession",
        ["Avec une concession de famille", "acte de concession"],
        ["Pour une concession (un emplacement de tombe)"],
    ),
    (  # bins not emptied: the waste manager first, in the opening question
        "bonjour",
        "mes poubelles n ont pas ete ramassees ce matin a Sapignies",
        ["Votre bac n'a pas été vidé", "Syndicat mixte Artois Valorisation"],
        [],
    ),
    (  # a birth at home: DIET leaned to an emergency, then knew nothing; the cue says birth
        "bonjour",
        "ma fille est nee le 26 a domicile a Martinpuich",
        ["Félicitations", "déclarez-la à la mairie de Martinpuich"],
        ["Je n'ai pas bien compris"],
    ),
    (  # aspect pas_maries after a birth: the father recognises the child (F887)
        "ma fille est nee hier a la maternite d arras",
        "on n est pas marie",
        ["Le père doit reconnaître l'enfant"],
        ["De quel sujet parlez-vous"],
    ),
    (  # two needs, the first asked with « je voudrai »: both answered
        "bonjour",
        "je suis a Bapaume, je voudrai le menu de la cantine et les horaires de la dechetterie",
        ["Menu de la cantine", "Votre autre question", "La déchetterie la plus proche de Bapaume"],
        [],
    ),
    (  # money trouble for the rent: the CCAS and the housing benefit, not the tax office
        "bonjour",
        "je suis veuve depuis peu, je n'arrive plus a payer mon loyer, la mairie peut m aider a "
        "Villers au Flos ?",
        ["centre communal d'action sociale (CCAS)", "aide au logement"],
        ["impôts"],
    ),
    (  # an attestation d'accueil (F2191): a mairie procedure, in person, 30 € in timbre fiscal
        "bonjour",
        "je voudrais faire une attestation d accueil pour ma cousine qui vient d algerie, "
        "j habite a Ligny-Thilloy",
        ["attestation d'accueil", "timbre fiscal de 30 €", "Mairie de Ligny-Thilloy"],
        ["Vouliez-vous dire", "France Travail"],
    ),
    (  # a lost cat (F24029): I-CAD said with the commune question, then only the mairie
        "on a perdu notre chat",
        "Bancourt",
        ["Mairie de Bancourt"],
        ["I-CAD", "Félicitations", "Je n'ai pas bien compris"],
    ),
    (  # a stray cat found (F32338): the collar, a vet, the fourrière; not the bins
        "bonjour",
        "j ai trouve un chat devant chez moi a Bapaume il a pas de collier",
        ["Regardez d'abord son collier", "Mairie de Bapaume"],
        ["ordures ménagères"],
    ),
    (  # aspect habitants after the salle: the price for those of the village, once
        "la salle des fetes de Vaulx c combien",
        "et pour les gens du village ?",
        ["200 € pour les habitants"],
        ["Chaque commune fixe ses propres règles", "Vaulx-Vraucourt à Vaulx-Vraucourt"],
    ),
    (  # aspect delai after the salle: each mairie sets it, book early (not the price again)
        "la salle des fetes de Vaulx c combien",
        "faut reserver combien de temps avant",
        ["Chaque mairie fixe son délai de réservation", "03 53 01 00 33"],
        ["Caution"],
    ),
    (  # aspect cremation after a death: the mayor of the place of death authorises it (F1558)
        "bonjour ma mere est decedee a l hopital d arras, elle habitait Beaulencourt",
        "elle voulait etre incineree",
        ["La crémation est autorisée par le maire de la commune du décès"],
        ["Vouliez-vous dire"],
    ),
    (  # « le pdf svp » after a document: the same document again, not « pas compris »
        "le dernier compte rendu du conseil municipal de Bapaume",
        "le pdf svp",
        ["Procès-verbal du conseil municipal du 24 septembre 2026", "Lien valable 24 heures"],
        ["Vouliez-vous dire"],
    ),
    (  # « jusqua quand » written glued (SMS style): the deadline of the lists
        "jveux m inscrire sur les listes pr voter jsuis a Martinpuich",
        "jai jusqua quand",
        ["le 6e mercredi avant le premier tour"],
        ["Vouliez-vous dire"],
    ),
    (  # a height in metres after a neighbour's hedge: the 2 metres rule
        "mon voisin a une haie qui depasse chez moi",
        "elle fait 3 metres",
        ["ne doit pas dépasser 2 mètres de haut"],
        ["Je n'ai pas bien compris"],
    ),
    (  # « pour combien de temps » after a concession: its lengths, not its price
        "je voudrais une concession au cimetiere de Bucquoy",
        "c'est pour combien de temps",
        ["temporaire (5 à 15 ans)"],
        ["Le prix d'une concession"],
    ),
    (  # aspect renouveler after a concession: within 2 years of its end (F31001)
        "je voudrais une concession au cimetiere de Bucquoy",
        "et on peut la renouveler ?",
        ["peut renouveler la concession à la mairie, dans les 2 ans"],
        ["Pour une concession (un emplacement de tombe)"],
    ),
    (  # renouveler after an identity card: the steps again, not « pas cette précision »
        "ma carte d identite est perimee",
        "et pour la renouveler ?",
        ["mairie équipée"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « il faut inscrire l enfant ? » after the canteen's menu: the canteen, not the school
        "menu cantine Achiet le Grand",
        "il faut inscrire l enfant ?",
        ["Inscrivez votre enfant à la cantine"],
        ["L'instruction est obligatoire dès 3 ans"],
    ),
    (  # « s inscrire sur les listes » after moving in: the lists themselves (a cue)
        "je viens d emmenager a Bucquoy",
        "comment on fait pour s inscrire sur les listes",
        ["Cerfa n° 12669"],
        ["Vous n'avez pas à déclarer votre arrivée"],
    ),
    (  # a lost family booklet (F11994): a new one at the mairie of the home, free
        "bonjour",
        "on a perdu notre livret de famille",
        ["Demandez un nouveau livret à la mairie de votre domicile"],
        ["Félicitations", "Un acte de naissance, de mariage ou de décès"],
    ),
    (  # « faut le livret de famille ? » after the recensement: its papers, not the acts
        "mon fils a 16 ans il doit se faire recenser a Bapaume",
        "faut le livret de famille ?",
        ["le livret de famille. Un mineur peut venir seul"],
        ["Un acte de naissance, de mariage ou de décès"],
    ),
    (  # aspect suivi_dossier asked in the opening question: how to follow the file, first
        "bonjour",
        "j aimerais savoir ou en est ma demande de permis de construire deposee a Bihucourt",
        ["Pour savoir où en est votre dossier, contactez la mairie"],
        ["Vouliez-vous dire"],
    ),
    (  # the same for a passport: the ANTS account, then the mairie of the request
        "bonjour",
        "ou en est ma demande de passeport ?",
        ["Suivez votre demande en ligne, dans votre espace sur le site de l'ANTS"],
        ["Vouliez-vous dire"],
    ),
    (  # a precise date in the question opening the salle: whether it is free, said first
        "bonjour",
        "je voudrais reserver la salle de Bancourt pour le 14 fevrier",
        ["Pour savoir si cette date est libre", "Salle des fêtes de Bancourt : jusqu'à 60"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect pension after a death: the réversion (F13104), not the mission locale
        "mon mari est decede il y a 2 mois",
        "je dois faire quoi pour la pension",
        ["pension de réversion", "info-retraite.fr"],
        ["mission locale"],
    ),
    (  # a dead animal in the street: a signalement with what and where already noted
        "bonjour",
        "mon chien a ete ecrase devant chez moi rue de la gare a Bapaume, le cadavre est la",
        ["services de Bapaume", "lieu : rue de la gare", "Voulez-vous être tenu au courant"],
        ["Vouliez-vous dire", "Quel est le problème"],
    ),
    (  # aspect vehicule after the déchetterie: it depends, ask the manager
        "la dechetterie de bapaume c est ouvert quand",
        "on peut y aller avec une remorque ?",
        ["L'accès avec une remorque ou un utilitaire dépend de la déchetterie"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect ensuite after the recensement: the attestation, the JDC, the lists at 18
        "recensement de ma fille a Favreuil",
        "et apres ?",
        ["Journée défense et citoyenneté", "inscrit d'office"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « l'adresse mail » after the hours: the contact (redirected), not « no precision »
        "horaires mairie Martinpuich",
        "et l adresse mail",
        ["mairie@martinpuich.example"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect sacs after the bins, before « où » and « jaunes »: the manager
        "les poubelles a Ligny-Thilloy c quand",
        "et les sacs jaunes on les trouve ou",
        ["Pour les sacs ou les bacs de tri"],
        ["le bac jaune"],
    ),
    (  # hours after a passport, for a commune without the equipment: the equipped mairie's
        "c'est où la mairie la plus proche pour faire un passeport, j habite a Morval",
        "et c est ouvert le samedi ?",
        ["Les titres se font à la mairie équipée", "Horaires de la mairie de Bapaume"],
        ["Horaires habituels de la mairie de Morval"],
    ),
    (  # « vient de mourir » is a death (cue), condolences first
        "bonjour",
        "mon pere vient de mourir a la maison a Riencourt",
        ["Toutes nos condoléances", "la mairie de Riencourt-lès-Bapaume qui établit l'acte"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect medecin_passe after a death: the declaration, now
        "mon pere vient de mourir a la maison a Riencourt",
        "le medecin est passe",
        ["déclarez maintenant le décès à la mairie du lieu du décès"],
        ["De quel sujet parlez-vous"],
    ),
    (  # aspect garderie after the school: its own enrolment, not the school's steps again
        "c koi les papiers pour inscrire mon fils a l ecole de Bapaume",
        "et la garderie le matin ?",
        ["L'accueil du matin et du soir (la garderie)"],
        ["L'instruction est obligatoire dès 3 ans"],
    ),
    (  # displaying a permit granted, asked in the opening question: the panel first (F1988)
        "bonjour",
        "bsr, une question: mon permis de construire est accorde, je dois afficher quelque "
        "chose? a Bucquoy",
        ["affichez-la sur le terrain", "2 mois pour contester"],
        [],
    ),
    (  # help with papers for a husband in a care home: the mairie's help, the commune asked
        "bonjour",
        "je m'appelle Josiane, j'ai 78 ans, mon mari est parti en maison de retraite, je dois "
        "faire des papiers pour lui mais je ne sais pas lesquels",
        ["Dans quelle commune habitez-vous"],
        ["Je n'ai pas bien compris"],
    ),
    (  # green waste in the opening question: the déchetterie's hours, not the refused items
        "bonjour",
        "quand est ce que je peux deposer mes dechets verts a Fremicourt",
        ["La déchetterie la plus proche de Frémicourt"],
        ["Chaque déchetterie a sa liste"],
    ),
    (  # « il faut un timbre ? » after a lost card: its price
        "mon fils a perdu sa carte d'identité au lycée, il a 15 ans, on est a Bapaume",
        "il faut un timbre ?",
        ["25 € en timbre fiscal"],
        ["Vouliez-vous dire"],
    ),
    (  # « elle doit venir où le jour du vote ? » after a procuration: where, not the presence
        "je veux faire une procuration, la personne habite a Lille",
        "elle doit venir ou le jour du vote ?",
        ["la personne vote dans votre bureau de vote"],
        ["un policier ou un gendarme peut venir chez vous"],
    ),
    (  # aspect jdc after the recensement: another date from the CSN (DIET read the CAF)
        "pour la JDC de mon fils ca se passe comment",
        "il a raté sa convocation",
        ["centre du service national", "majdc.fr"],
        ["CAF"],
    ),
    (  # aspect oiseaux after the hedges: wait for them to leave
        "la taille des haies c'est quand",
        "et si j ai des oiseaux dedans ?",
        ["attendez leur départ pour la tailler"],
        ["Le Code civil fixe les distances"],
    ),
    (  # a social housing request: online or at a desk (said first), then the mairie's card
        "demande de logement social",
        "Bapaume",
        ["Mairie de Bapaume"],
        ["CAF", "demande-logement-social.gouv.fr"],
    ),
    (  # selling a house: the notaire asks the mairie; not the welcome of a new resident
        "bonjour",
        "on vend notre maison a beugnatre c quoi les demarches",
        ["rien à déposer à la mairie", "diagnostics immobiliers", "Mairie de Beugnâtre"],
        ["Bienvenue"],
    ),
    (  # the school bus after the school: the Région, not the school's enrolment again
        "je veux inscrire mon fils a l ecole de bapaume",
        "et pour le bus scolaire ?",
        ["Région Hauts-de-France", "Mairie de Bapaume"],
        ["certificat d'inscription"],
    ),
    (  # aspect cles after the salle: the keys at the état des lieux, that mairie's phone
        "bonjour c combien la salle des fetes a bihucourt",
        "on peut avoir la cle quand",
        ["l'état des lieux d'entrée", territory().by_name("Bihucourt").mairie.telephone],
        ["Je ne suis pas sûr"],
    ),
    (  # « elle a besoin de quoi » after the recensement: the papers to bring
        "ma fille a 16 ans elle doit faire le recensement",
        "elle a besoin de quoi",
        ["Apportez une pièce d'identité"],
        ["Je n'ai pas bien compris"],
    ),
    (  # aspect premier after a birth: the declaration first, at the mairie of the birthplace
        "slt on vient d avoir un bebe hier a arras, on habite a beaulencourt",
        "on doit faire quoi en premier",
        ["D'abord, déclarez la naissance"],
        ["Bienvenue"],
    ),
    (  # aspect energie after moving in: the suppliers and the meters, the water service
        "on emmenage a ligny thilloy le mois prochain",
        "et pour l eau et l electricite ?",
        ["choisissez un fournisseur", "service des eaux"],
        ["Bienvenue"],
    ),
    (  # aspect voter after the identity card: an expired card still lets one vote (5 years)
        "je veux refaire ma carte d identite a bapaume",
        "je pourrai voter avec l ancienne en attendant ?",
        ["périmé depuis moins de 5 ans"],
        ["Je n'ai pas bien compris", "Inscrivez-vous sur les listes"],
    ),
    (  # the same aspect in the opening question: answered first, then the card's answer
        "bonsoir",
        "ma carte d identite est perimee depuis 2 ans je peux encore voter avec ?",
        ["périmé depuis moins de 5 ans", "prenez rendez-vous dans une mairie équipée"],
        ["Je n'ai pas bien compris"],
    ),
    (  # the EHPAD in the proxy vote's question: who makes it, the officer who can come
        "bonjour",
        "je voudrais faire une procuration pour ma mere elle est a l ehpad",
        ["C'est la personne qui ne pourra pas voter qui fait la procuration", "maprocuration"],
        ["Je n'ai pas bien compris"],
    ),
    (  # « elle vote à … » after a proxy vote: where, not the electoral rolls' answer
        "je voudrais faire une procuration pour ma mere",
        "elle vote a warlencourt",
        ["Warlencourt-Eaucourt"],
        ["Inscrivez-vous sur les listes électorales"],
    ),
    (  # aspect temoins after the Pacs: none, unlike a wedding
        "pacs a la mairie de bapaume comment ca se passe",
        "faut des temoins ?",
        ["le Pacs se fait sans témoins"],
        ["Je n'ai pas cette précision"],
    ),
    (  # aspect architecte after a garden shed: beyond 150 m² of floor area only (F20568)
        "je veux mettre un abri de jardin de 12m2 a sapignies",
        "faut un architecte ?",
        ["150 m²"],
        ["Je ne suis pas sûr"],
    ),
    (  # « j'ai déjà essayé de lui parler » after neighbours' noise: the next steps, not an agent
        "y a des chiens qui aboient toute la nuit chez le voisin a bancourt",
        "j ai deja essaye de lui parler",
        ["lettre recommandée", "conciliateur de justice"],
        ["Je suis un assistant automatique"],
    ),
    (  # « y a du porc ? » after the menu: DIET read a goodbye (0.75); the meals adapted
        "le menu de la cantine de bapaume cette semaine",
        "y a du porc ?",
        ["repas sans porc", "projet d'accueil individualisé (PAI)"],
        ["Au revoir"],
    ),
    (  # aspect avance after a concession: bought while alive (F31001), not the mission locale
        "on voudrait une concession au cimetiere de martinpuich",
        "on peut reserver a l avance ?",
        ["acheter une concession de votre vivant"],
        ["mission locale"],
    ),
    (  # « le bac jaune je le récupère où » after the bins, a new resident: the waste manager
        "les poubelles c quand a behagnies",
        "et le bac jaune je le recupere ou",
        ["Pour un bac à votre arrivée", "Syndicat mixte Artois Valorisation"],
        ["ramassées le"],
    ),
    (  # a broken bin in the question: whom to call first, then the days
        "bonjour",
        "mon bac est casse a bucquoy",
        ["bac cassé, volé ou manquant", "ramassées le mercredi"],
        ["Je n'ai pas bien compris"],
    ),
    (  # a garden fire: DIET knew nothing (0.45); the cue names the hedges, burning answered first
        "bonjour",
        "je voudrais savoir si on peut faire un feu de jardin a grevillers",
        ["brûler ses déchets verts", "est interdit"],
        ["De quel sujet parlez-vous"],
    ),
    (  # « je peux couper les branches moi-même ? » after a neighbour's tree: no, ask him
        "mon voisin a un arbre qui depasse chez moi a bancourt",
        "je peux couper les branches moi meme ?",
        ["Vous ne pouvez pas couper ses branches vous-même"],
        ["Le Code civil fixe les distances"],
    ),
    (  # « c'est moi qui dois y aller ? » after a birth: who declares it
        "slt c pour une declaration de naissance, ma femme a accouche a la maison cette nuit a le "
        "sars",
        "c est moi qui dois y aller ?",
        ["En général, c'est le père"],
        ["Je n'ai pas bien compris"],
    ),
    (  # « on serait 80 » after the salle: its capacity, not « pas compris »
        "la salle des fetes de bucquoy est libre le 14 fevrier ?",
        "on serait 80",
        ["jusqu'à 150 personnes"],
        ["Je n'ai pas bien compris"],
    ),
    (  # aspect assurance after the salle: the certificate for the date, not the whole answer
        "la salle des fetes de bucquoy c combien",
        "et faut une assurance ?",
        ["attestation d'assurance responsabilité civile", "03 53 01 00 21"],
        ["Chaque commune fixe ses propres règles"],
    ),
    (  # aspect pneus after the déchetterie: the seller takes them back, one for one
        "la dechetterie de bapaume prend l amiante ?",
        "et les pneus de voiture ?",
        ["reprend gratuitement vos pneus usagés"],
        ["L'amiante, les pneus et les produits dangereux"],
    ),
    (  # the same aspect named in the question: answered first (DIET read the bulky waste)
        "bonjour",
        "ou jeter mes vieux pneus a bancourt",
        ["reprend gratuitement vos pneus usagés"],
        ["Je n'ai pas bien compris"],
    ),
    (  # no money for the funeral after a death: who pays, the aids; not the CCAS for the rent
        "bonsoir mon mari est decede hier soir a la maison a morval",
        "on fait comment pour les obseques, on a pas d argent",
        ["comptes du défunt", "la commune prend en charge des obsèques simples"],
        ["Pour le loyer"],
    ),
    (  # a help named for sure still wins over the topic in course: a lost cat after the card
        "je veux refaire ma carte d identite a bapaume",
        "on a perdu notre chat",
        ["I-CAD"],
        ["déclaration de perte"],
    ),
    (  # the delay after a certificat d'urbanisme: its own (1 and 2 months), not the permits'
        "bonjour, c est pour un certificat d urbanisme pour vendre un terrain a beaulencourt",
        "ca prend combien de temps",
        ["1 mois pour le certificat d'information"],
        ["déclaration préalable : 1 mois"],
    ),
    (  # aspect election after the listes: one registration for every election
        "je veux m inscrire sur les listes electorales a bapaume",
        "c pour les municipales",
        ["Une seule inscription vaut pour toutes les élections", "2032"],
        ["Inscrivez-vous sur les listes électorales toute l'année"],
    ),
    (  # the next council: the rule and that séances are public, not last spring's minutes
        "bonjour",
        "c quand le prochain conseil municipal a bapaume",
        ["prochain conseil municipal de Bapaume", "Les séances sont publiques"],
        ["Procès-verbal", "Lequel voulez-vous"],
    ),
    (  # a lost voter card: one votes without it, with an identity paper (F1361)
        "je voudrais savoir comment on fait une carte d electeur",
        "je l ai perdue",
        ["Vous pouvez voter sans votre carte électorale"],
        ["Vouliez-vous dire"],
    ),
    (  # a cue word of the déchetterie, and what it takes answered first
        "bonjour",
        "ou je peux jeter mon huile de vidange a sapignies",
        ["Chaque déchetterie a sa liste", "La déchetterie la plus proche de Sapignies"],
        ["Vouliez-vous dire"],
    ),
    (  # aspect habitants: the price for those from outside, not the whole topic again
        "c combien pour louer la salle des fetes a Bucquoy",
        "et pour les gens de l'exterieur ?",
        ["250 € pour les autres"],
        ["La location de la salle des fêtes se fait auprès de la mairie"],
    ),
    (  # rendez_vous after the mairie's hours: walk in, or book for a title or the mayor
        "horaires de la mairie de Vaulx-Vraucourt",
        "on peut venir sans rdv ?",
        ["vous reçoit en général sans rendez-vous"],
        ["C'est pour quoi ?"],
    ),
    (  # forces_ordre after a neighbour's noise: the tapage noted (F612)
        "mon voisin fait du bruit tous les soirs jusqu'a 2h du matin a Bancourt",
        "je peux appeler les gendarmes ?",
        ["la gendarmerie peut venir constater le tapage", "F612"],
        ["Vouliez-vous dire"],
    ),
    (  # rendez_vous after an office named: that office, not the mairie's booking
        "j'ai besoin d'aide pour ma demande de RSA, j'habite a Bapaume",
        "faut prendre rdv ?",
        ["Beaucoup de bureaux reçoivent sur rendez-vous", "Caisse d'allocations familiales"],
        ["mairie équipée", "C'est pour quoi ?"],
    ),
    (  # repasse after a bin left full: the manager, else the next collection day
        "j'habite rue d'Arras a Bapaume, ma poubelle a pas ete ramassee",
        "et ils repassent quand ?",
        ["Il vous dit s'il repasse", "le vendredi"],
        ["Vouliez-vous dire"],
    ),
    (  # motif (l_emporte): what the act is for, though « passeport » names another topic
        "je voudrais un acte de naissance, je suis ne a Bapaume",
        "c pour un passeport",
        ["l'acte n'est souvent pas demandé"],
        ["prenez rendez-vous dans une mairie équipée"],
    ),
    (  # motif: the act for a wedding, not the wedding's own act
        "je voudrais un acte de naissance, je suis ne a Bapaume",
        "c'est pour mon mariage",
        ["de moins de 3 mois"],
        ["Pour un acte de mariage"],
    ),
    (  # qui_decide after a neighbour's noise: the mayor can act, in part (F612)
        "ya un chien qui aboie toute la journee chez le voisin a Bapaume",
        "la mairie peut faire quelque chose ?",
        ["Le maire doit garantir la tranquillité"],
        ["Horaires habituels"],
    ),
    (  # qui_decide after a bin left full: the waste manager, not the mairie
        "ma poubelle a pas ete ramassee a Bapaume",
        "la mairie peut rien faire ?",
        ["pas par la mairie"],
        ["Horaires habituels", "Vouliez-vous dire"],
    ),
    (  # the dead's commune said first is the cemetery's, not a question for the resident's
        "Bonjour, mon pere est decede la semaine derniere. Il habitait Sapignies. "
        "Comment je fais pour sa tombe ?",
        "il y a deja un caveau de famille",
        ["Pour le cimetière de Sapignies"],
        ["Dans quelle commune"],
    ),
    (  # sortir_bac asked in the opening question: the help first, then the days
        "bonjour",
        "ma mere a 85 ans elle vit seule a Bucquoy et elle arrive plus a sortir ses poubelles, "
        "son bac est trop lourd, est ce qu il y a quelque chose de prevu ?",
        ["Sortir le bac devient trop dur ?", "ordures ménagères sont ramassées"],
        ["Vouliez-vous dire"],
    ),
    (  # a story before the question is no second need; the roof and windows' authorisation
        "bonjour",
        "nous avons acheté une maison à Grévillers et nous voulons refaire la toiture et "
        "changer les fenêtres, faut-il demander une autorisation à la mairie ?",
        ["changent l'aspect extérieur de la maison demandent une déclaration préalable"],
        ["Votre autre question", "Bienvenue dans votre nouvelle commune"],
    ),
    (  # ecrire after the mayor: through the mairie; no emergency for the deaf (DIET read 0.96)
        "c qui le maire de Ligny-Thilloy",
        "je peux lui ecrire ?",
        ["Écrivez au maire à la mairie de Ligny-Thilloy"],
        ["114", "Vouliez-vous dire"],
    ),
    (  # « y en a un autre ? » after the minutes: the séance before
        "je voudrais le compte rendu du dernier conseil municipal de Bapaume",
        "y en a un autre ?",
        ["Procès-verbal du conseil municipal du 26 mars 2026"],
        ["Vouliez-vous dire", "Je ne suis pas sûr"],
    ),
    (  # a day after the bins: that day's collection alone, not the whole answer again
        "quand passent les poubelles a Bapaume",
        "et le 25 ?",
        ["reportée au samedi 26 décembre"],
        ["La collecte des déchets ménagers n'est pas gérée", "Calendrier de collecte"],
    ),
    (  # regime after the school: the PAI, said at enrolment
        "bonjour je voudrais inscrire mon fils a l'ecole de Bapaume",
        "et s'il est allergique ?",
        ["projet d'accueil individualisé (PAI)"],
        ["Je n'ai pas cette précision"],
    ),
    (  # cantine named in the opening question: the canteen's own enrolment first
        "bonjour",
        "je voudrais inscrire mon fils a la cantine de Bapaume",
        ["La cantine demande une inscription à part"],
        ["Vouliez-vous dire"],
    ),
    (  # voisin_brule after burning green waste: tell the mairie (F31858)
        "bonjour je voudrais savoir si je peux bruler mes dechets verts dans mon jardin a Morval",
        "et si le voisin le fait ?",
        ["prévenez la mairie : elle peut faire respecter l'interdiction"],
        ["Le Code civil fixe les distances"],
    ),
    (  # identification after a lost dog: declare the loss on I-CAD, not the mairie's card again
        "mon chien a disparu depuis hier a Bihucourt",
        "il est tatoue",
        ["Déclarez vite sa perte sur i-cad.fr"],
        ["Je suis un assistant automatique"],
    ),
    (  # the criminal record: the free online request before the point-justice (F1420)
        "bonjour",
        "je voudrais savoir comment faire pour avoir un extrait de casier judiciaire",
        ["casier-judiciaire.justice.gouv.fr", "C'est gratuit"],
        ["Vouliez-vous dire"],
    ),
    (  # DIET's unsure goodbye with no word of leaving: no « Au revoir » mid-explanation
        "bonjour je voudrais un certificat de residence",
        "c pour la banque",
        [],
        ["Au revoir", "Bonne journée"],
    ),
    (  # lieu after the mairie's hours: its address, known
        "les horaires de la mairie de Favreuil svp",
        "et l'adresse ?",
        [territory().by_name("Favreuil").mairie.adresse],
        ["Je n'ai pas cette précision"],
    ),
    (  # surface with a figure: that surface's authorisation first, then the rule
        "bonjour je voudrais faire une demande de permis de construire pour une veranda a Favreuil",
        "elle fait 25m2",
        ["Pour 25 m² : un permis de construire", "F17578"],
        ["Vouliez-vous dire"],
    ),
    (  # mineur, answered as the age: the child comes with a parent
        "c'est combien une carte d'identite ?",
        "ok et pour un mineur ?",
        ["Pour un mineur, l'enfant vient au guichet"],
        ["Dans quelle commune"],
    ),
    (  # aspect pieces: the photo asked after the passport, not the whole answer again
        "bjr je voudrais refaire mon passeport j'habite achiet le grand",
        "faut il une photo",
        ["Une photo d'identité de moins de 6 mois"],
        ["prenez rendez-vous dans une mairie équipée"],
    ),
    (  # aspect jour after the canteen: school days, not the mairie's hours that Wednesday
        "la cantine c combien par repas a bapaume",
        "et le mercredi ?",
        ["La cantine sert les jours d'école"],
        ["Horaires habituels de la mairie"],
    ),
    (  # aspect paiement after the canteen: the bill says how, and the mairie's help
        "la cantine c combien par repas a bapaume",
        "comment on paye",
        ["La facture de la cantine vous dit comment payer"],
        ["Horaires habituels de la mairie"],
    ),
    (  # aspect lieu_evenement after a birth certificate: the mairie of the place of birth
        "comment avoir un acte de naissance",
        "je suis ne a arras",
        ["Votre acte est à la mairie d'Arras"],
        ["Je vous écoute"],
    ),
    (  # the same, born in one of our communes: that mairie and its telephone
        "comment avoir un acte de naissance",
        "je suis nee a bucquoy mais j'habite a lille",
        ["Votre acte est à la mairie de Bucquoy", territory().by_name("Bucquoy").mairie.telephone],
        ["Je ne connais pas la commune"],
    ),
    (  # a lost Carte Vitale after the CPAM's referral, while the commune is asked
        "c pour ma carte vitale",
        "je l'ai perdu",
        ["Carte Vitale perdue ou volée", "ameli.fr"],
        ["pas sûr d'avoir compris"],
    ),
    (  # DIET read a goodbye (« bon ») in a commune given: the booking's commune, no goodbye
        "je voudrais reserver la salle",
        "bon alors a bihucourt",
        ["Bihucourt"],
        ["Au revoir"],
    ),
    (  # an elderly resident's fragment, no commune asked: heard, no « commune inconnue »
        "je suis agee",
        "ma fille habite loin",
        ["Je vous écoute"],
        ["Je ne connais pas la commune"],
    ),
    (  # the same fragment where the commune is asked: asked again, not quoted as a name
        "horaires de la mairie",
        "ma fille habite loin",
        ["Dans quelle commune habitez-vous ?"],
        ["Je ne connais pas la commune"],
    ),
    (  # aspect prix after the pound (orientation_cas: fourriere): its fees, not a complaint's
        "bonsoir, ma voiture a ete enlevee par la fourriere a bapaume",
        "c'est combien pour la recuperer",
        ["Les frais de fourrière s'ajoutent à l'amende"],
        ["Porter plainte est gratuit"],
    ),
    (  # aspect motif after a marriage certificate: that act, not the birth certificate's uses
        "je me suis marie l'annee derniere a bapaume, comment avoir une copie de l'acte de mariage",
        "c'est pour le notaire",
        ["mairie du lieu du mariage", "F1432"],
        ["acte de naissance, de moins de 3 mois"],
    ),
    (  # aspect prix after a complaint: free
        "comment porter plainte",
        "c'est payant ?",
        ["Porter plainte est gratuit"],
        ["fourrière"],
    ),
    (  # a booking the resident cannot come to: the booking to move, not a new one
        "on a un rdv pour la carte d'identité mais on peut pas venir",
        "bapaume",
        ["retrouver votre rendez-vous pour l'annuler ou le déplacer", "numéro du rendez-vous ?"],
        ["Les prochains créneaux"],
    ),
    (  # a yes/no question on the déchetterie's day after the bins: « Non. » and that day
        "c quand les poubelles a favreuil",
        "ok et la dechetterie elle ouvre le dimanche ?",
        ["Non. Le dimanche 27 décembre, la déchetterie de Bapaume est fermée"],
        ["en ce moment"],
    ),
    (  # a certificate comes by post
        "bonjour j ai besoin d un extrait d acte de mariage",
        "je peux le recevoir par la poste ?",
        ["envoyé par la poste", f"{SP}N359"],
        [NOT_UNDERSTOOD, "Je n'ai pas bien compris"],
    ),
    (  # an identity card does not
        "je dois refaire ma carte d'identite a bapaume",
        "on peut la recevoir par la poste ?",
        ["ne sont pas envoyés par la poste", "en personne"],
        [NOT_UNDERSTOOD, "Je n'ai pas bien compris"],
    ),
    (  # a speeding ticket is a fine: the same answer, not the mission locale
        "jai recu une amende je comprends pas",
        "c pour un exces de vitesse",
        ["antai.gouv.fr"],
        ["mission locale"],
    ),
    (  # how to check one's registration: the online service
        "je voudrais savoir si je suis bien inscrite sur les listes a vaulx vraucourt",
        "comment je verifie",
        ["Interroger sa situation électorale"],
        ["Je n'ai pas bien compris"],
    ),
    (  # the price after an attestation d'accueil: the 30 € stamp
        "c'est pour une attestation d'accueil pour ma soeur d algerie, j habite bapaume",
        "combien ca coute",
        ["timbre fiscal de 30 €"],
        ["Je n'ai pas cette précision"],
    ),
    (  # a day after the déchetterie: the déchetterie that day, not the mairie's hours
        "la dechetterie de bapaume c'est quand",
        "et demain c ouvert ?",
        ["la déchetterie de Bapaume est fermée", "mercredi 23 décembre"],
        ["la mairie de Bapaume est ouverte"],
    ),
    (  # an elderly resident's fragment after the hours: tomorrow's opening
        "la mairie de martinpuich elle ouvre quand",
        "demain matin je peux y aller",
        ["Demain, mardi 22 décembre, la mairie de Martinpuich est ouverte de 9 h à 12 h"],
        ["Vouliez-vous dire"],
    ),
    (  # « après les fêtes »: the reopening after the year-end closure
        "la mairie du sars elle ouvre quand",
        "elle rouvre quand apres les fetes ?",
        ["Elle rouvre le mardi 5 janvier 2027"],
        ["Vouliez-vous dire", "Demain, mardi 22 décembre"],
    ),
    (  # how many people, with « combien »: the capacity, not the price again
        "combien coute la salle des fetes de beaulencourt",
        "on peut etre combien dedans au maximum ?",
        ["jusqu'à 100 personnes"],
        ["200 €"],
    ),
    (  # « c'est à la mairie de X qu'il faut aller ? » asks where, not who declares
        "mon pere est decede hier a la maison a bucquoy",
        "c'est a la mairie de bucquoy qu'il faut aller ?",
        ["c'est la mairie de Bucquoy qui établit l'acte de décès"],
        ["Toute personne qui connaît"],
    ),
    (  # « oui le pdf svp », no document sent: the salle's form from the GED of Bucquoy
        "je voudrais louer la salle des fetes de bucquoy",
        "oui le pdf svp",
        ["Formulaire de réservation de la salle des fêtes", "Lien valable 24 heures"],
        ["Que voulez-vous savoir"],
    ),
    (  # an outside body named after a birth certificate: the CPAM, not a follow-up of the act
        "je voudrais un acte de naissance a bapaume",
        "comment je fais pour avoir une carte vitale pour mon fils ?",
        ["CPAM", "ameli.fr"],
        [],
    ),
    (  # the marriage asked in its own words after the Pacs: not « pas cette précision »
        "on habite avesnes les bapaume et on aimerait se pacser, on fait ca ou ?",
        "Et pour se marier plutôt, c'est quoi la démarche ?",
        ["Pour vous marier, déposez un dossier à la mairie", "les bans sont affichés 10 jours"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « ouvert » goes to the mairie's hours, though the day alone would replay the collection
        "la collecte a favreuil c'est quel jour",
        "c'est ouvert le samedi ?",
        ["la mairie de Favreuil"],
        ["les ordures ménagères sont ramassées"],
    ),
    (  # the commune of the answer said again: the price for its residents (aspect habitants)
        "bonjour le prix de la salle des fetes a Ligny-Thilloy",
        "oui on habite Ligny",
        ["200 € pour les habitants"],
        ["C'est noté"],
    ),
    (  # someone of another commune books: the price for others
        "Bonjour, je voudrais louer la salle des fêtes de Frémicourt pour un anniversaire",
        "Et si c'est mon frère qui la réserve ? Il habite Arras.",
        ["300 € pour les autres"],
        ["Je n'ai pas cette précision"],
    ),
    (  # when to call: « appelez la mairie », then its hours (DIET read the « d'accord »)
        "Bonjour, je voudrais louer la salle des fêtes de Frémicourt pour un anniversaire",
        "D'accord. Je les appelle quand pour réserver ?",
        ["03 53 01 00 24", "Horaires habituels de la mairie de Frémicourt"],
        ["Que voulez-vous savoir"],
    ),
    (  # after an emergency, « ils arrivent » is no misunderstanding
        "mon mari vient de tomber. il repond plus. que faire",
        "ils arrivent",
        ["Vous avez bien fait", "Suivez les consignes des secours"],
        ["pas bien compris"],
    ),
    (  # thanks, then a new question (DIET read the thanks, 0.40)
        "bjr j habite rue de bapaume a bihucourt c quel jour les poubelles svp",
        "ok merci. la mairie c quoi le num",
        ["03 53 01 00 20"],
        ["Vouliez-vous dire"],
    ),
    (  # « sinon » and an outside body's words (« cherche du taf »): France Travail
        "bjr mon fils a 16 ans le 3 janvier pr la jdc on fait comment ? on est a douchy",
        "ok. sinon ma femme cherche du taf elle s inscrit ou",
        ["France Travail"],
        ["A la mairie de votre domicile"],
    ),
    (  # where the mairie is, after a passport at Bapaume: its address, not who takes requests
        "bjr ma carte d identite est perimee faut faire comment pour la refaire jsuis sur bapaume",
        "c ou la mairie",
        ["place de la Mairie, 62450 Bapaume"],
        ["prend ces demandes"],
    ),
    (  # the salle named by a word after the bins: its capacity, not the bins' price
        "les poubelles c'est quel jour au Transloy ?",
        "Merci. Et elle fait combien de personnes la salle ?",
        ["jusqu'à 60 personnes"],
        ["taxe"],
    ),
    (  # « c'est qui qui donne l'accord ? » after a véranda: the mayor decides
        "nous aimerions faire construire une véranda de 15 m² contre la maison à Beaulencourt",
        "et au final c'est qui qui donne l'accord ?",
        ["C'est le maire qui délivre ou refuse l'autorisation"],
        ["Je n'ai pas cette précision"],
    ),
    (  # a longer follow-up DIET cannot read (15 words): validating a procuration near work
        "Bonjour, comment faire une procuration pour que mon mari vote à ma place ?",
        "Je travaille à Bapaume, est-ce que je peux la faire valider là-bas plutôt ?",
        ["n'importe quel commissariat"],
        ["Vouliez-vous dire"],
    ),
    (  # « ok et le tri c quand » after the hours: the question says its topic (collection)
        "la mairie de fremicourt est ouverte jeudi ?",
        "ok et le tri c quand",
        ["Le tri sélectif"],
        ["Horaires habituels"],
    ),
    (  # the phone of a named mairie, read as a commune by the commune classifier
        "bonjour. mairie de Biefviler les Bapaume. ouverte quand cette semaine. merci",
        "bon. le téléphone de Biefvillers alors",
        ["Téléphone : 03 53 01 00 19"],
        ["Horaires habituels"],
    ),
    (  # no school in the commune: the school's answer, not « Vouliez-vous dire »
        "Bonjour ! On vient d'emménager à Beugnâtre avec mes deux enfants, on arrive de Lille",
        "Les enfants ont 6 et 9 ans, il n'y a pas d'école à Beugnâtre je crois ? on fait comment ?",
        ["école"],
        ["Vouliez-vous dire"],
    ),
    (  # an office asked where after a procuration: the nearest gendarmerie, not the rule again
        "je serai absent pour voter a Douchy-les-Ayette, comment je fais une procuration ?",
        "c'est où la gendarmerie la plus proche ?",
        ["Voici la gendarmerie la plus proche", "Brigade de gendarmerie de Bucquoy"],
        ["où que vous soyez en France", "ne reçoit pas les plaintes"],
    ),
    (  # the works named on the way to the hours: their delay
        "Bonjour, je voulais passer à la mairie de Sapignies cette semaine pour déposer ma "
        "déclaration préalable pour la clôture, c'est ouvert quand ?",
        "Et ça met combien de temps pour avoir la réponse ?",
        ["déclaration préalable : 1 mois"],
        ["Je n'ai pas cette précision"],
    ),
    (  # a day of the week before: the collection that day, not the calendar « d'avant »
        "bjr a riencourt c quand les poubelles",
        "et la semaine d avant a noel ?",
        ["reportée au samedi 26 décembre"],
        ["Voulez-vous un autre document"],
    ),
    (  # going to the mairie on a day, after the bins: the mairie's closure that day
        "bjr a riencourt c quand les poubelles",
        "derniere chose jdois passer a la mairie le 24 pr deposer un dossier",
        ["fermée"],
        ["la collecte du tri sélectif"],
    ),
    (  # « c est ou » after the help with papers: the France Services office offered first
        "j'ai besoin d'aide pour mes papiers, j'ai pas internet, j'habite a Ligny-Thilloy",
        "c est ou",
        ["L'espace France Services : Espace France Services de Bapaume"],
        ["Je n'ai pas cette précision"],
    ),
    (  # a lost identity card: the 25 € fiscal stamp with the declaration
        "Bonjour, ma carte d identite expire en fevrier, je fais comment pour la refaire ? j "
        "habite Sapignies",
        "et si je l avais perdue ?",
        ["timbre fiscal de 25 €"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « c ouvert qd ? » after a concession: the cemetery's hours, and its mairie's
        "je voudrais acheter une concession au cimetiere de Morval",
        "c ouvert qd ?",
        ["La mairie de Morval gère le cimetière et les concessions", "mercredi : de 9 h à 12 h"],
        ["Je n'ai pas cette précision"],
    ),
    (  # « et le sac jaune ? » after the bins: the sorting day, then where to get the bags
        "jhabite rue de bapaume a fremicourt, c quel jour les poubelles",
        "et le sac jaune ?",
        ["Le tri sélectif à Frémicourt est ramassé le lundi", "gestionnaire des déchets"],
        [],
    ),
    (  # « c payant ? » after a neighbour who will not cut his hedge: the conciliator is free
        "mon voisin a une haie de 4 metres qui deborde chez moi a douchy, jlui ai dit 10 fois "
        "il veut rien entendre, je peux faire quoi",
        "c payant ?",
        ["Le conciliateur de justice est gratuit"],
        ["Je n'ai pas cette précision"],
    ),
    (  # the acts of the death in course are asked of the death (its bank answer)
        "mon papa est decede cette nuit a la maison a Bihucourt",
        "il faudra des actes de deces pr la banque et le notaire, c payant ?",
        ["Prévenez les banques du défunt"],
        ["Pour un acte de décès, adressez-vous"],
    ),
]


def test_a_car_in_the_pound_is_how_to_get_it_back_and_the_gendarmerie(servers):
    """DIET reads a complaint; the message says « fourrière »: how to get the car back, from the
    nearest gendarmerie, not « La mairie ne reçoit pas les plaintes »."""
    answer = Resident(servers).say("bonsoir, ma voiture a ete enlevee par la fourriere a bapaume")
    assert "Pour récupérer un véhicule mis en fourrière" in answer, answer
    assert "Brigade de gendarmerie de Bapaume" in answer
    assert "ne reçoit pas les plaintes" not in answer


def test_two_needs_that_both_want_the_commune_ask_it_once_at_the_end(servers):
    """« ma carte grise et aussi mon passeport »: the registration's office and the passport's
    mairie both depend on the commune; the resident reads the question once, last."""
    answer = Resident(servers).say("je dois refaire ma carte grise et aussi mon passeport")
    assert "immatriculation.ants.gouv.fr" in answer, answer
    assert "Votre autre question : « mon passeport »" in answer
    assert answer.count("dans quelle commune habitez-vous ?") == 1, answer
    assert answer.rstrip().endswith("dans quelle commune habitez-vous ?"), answer


def test_a_date_asked_for_a_commune_without_a_salle_says_so_once(servers):
    """« est libre le 31 décembre ? » opens the salle des fêtes of Grévillers, which has none:
    the date's answer and the commune's answer are the same words, said once."""
    answer = Resident(servers).say("la salle des fetes de grevillers est libre le 31 decembre ?")
    assert answer.count("La commune de Grévillers n'a pas de salle des fêtes") == 1, answer


def test_pages_cited_by_both_the_aspect_and_the_answer_are_listed_once(servers):
    """« ma fille a 3 ans » answers the age first; the enrolment after cites the same two pages."""
    answer = Resident(servers).say("bjr ma fille a 3 ans comment l'inscrire a l'ecole a vaulx")
    assert answer.startswith("De 3 à 5 ans, l'enfant va à l'école maternelle"), answer
    assert answer.count("Sources officielles") == 1, answer
    assert answer.count("vosdroits/F1864") == 1


def test_the_cemeterys_hours_asked_first_are_answered_first(servers):
    answer = Resident(servers).say("le cimetiere de bancourt c'est ouvert quand")
    assert answer.startswith("Les heures d'ouverture du cimetière sont fixées par le maire"), answer
    assert "Pour le cimetière de Bancourt" in answer


def test_a_meeting_with_the_mayor_becomes_a_message_to_the_mairie(servers):
    """The agenda only books identity titles, at the equipped mairie; the mayor of Bancourt
    fixes his meetings himself: a message to that mairie, with what the resident said."""
    resident = Resident(servers)
    resident.say("je voudrais un rendez vous avec le maire pour parler de mon terrain")
    answer = resident.say("Bancourt")
    assert "Le maire et les élus reçoivent sur rendez-vous" in answer, answer
    assert territory().by_name("Bancourt").mairie.telephone in answer
    assert "mairie équipée" not in answer
    answer = resident.say("oui")
    assert "C'est noté : votre message" in answer, answer


@pytest.mark.parametrize(("first", "then", "said", "not_said"), TWO_TURNS)
def test_a_follow_up_is_answered_for_the_topic_before_it(servers, first, then, said, not_said):
    resident = Resident(servers)
    resident.say(first)
    answer = resident.say(then)
    assert all(text in answer for text in said), answer
    assert not any(text in answer for text in not_said), answer


def test_a_street_and_commune_answers_the_commune_question_of_a_signalement(servers):
    """« rue de l'église à Favreuil » after « Dans quelle commune ? »: the commune, and the place
    of the problem for the form, which asks only what is missing."""
    resident = Resident(servers)
    resident.say("la rue est pleine de nids de poule devant chez moi")
    answer = resident.say("rue de l eglise a Favreuil")
    assert "services de Favreuil" in answer, answer
    assert "lieu : rue de l eglise" in answer
    answer = resident.say("Paul Martin 0612345678")
    assert "Je l'envoie à la mairie de Favreuil ?" in answer, answer
    assert "Dans quelle commune" not in answer


def test_a_stolen_wallet_is_the_identity_card_when_the_model_has_no_idea(servers):
    """DIET has no idea (0.16, the recensement); one cue (« voler … portefeuille ») names the
    identity card: its answer for a stolen title, not « Vouliez-vous dire ».
    Without « bonjour », DIET reads an assault (0.79) and the emergency layer answers first."""
    answer = Resident(servers).say(
        "bonjour je me suis fait voler mon portefeuille avec mes papiers"
    )
    assert "Titre volé : déclarez d'abord le vol" in answer, answer
    assert "Vouliez-vous dire" not in answer


def test_a_booking_takes_the_name_written_in_lower_case_before_the_phone(servers):
    """« je suis jean dupont 0612345678 » in the opening message: the name is noted, and the
    summary comes right after the slot is chosen (no « À quel nom … ? »)."""
    resident = Resident(servers)
    answer = resident.say(
        "je voudrais un rdv pour une carte d identite a bapaume, je suis jean dupont 0612345678"
    )
    assert "au nom de Jean Dupont" in answer, answer
    slot = resident.buttons[1]
    answer = resident.say(slot)
    assert "Au nom de : Jean Dupont" in answer, answer
    assert "À quel nom" not in answer


def test_a_death_months_ago_gets_what_remains_not_the_first_day(servers):
    """« mon mari est mort il y a 3 mois »: condolences, then the bank, the pension and the
    succession; not the certificate and the declaration within 24 hours."""
    answer = Resident(servers).say("mon mari est mort il y a 3 mois")
    assert "condoléances" in answer
    assert "sont sans doute déjà faites" in answer and "pension de réversion" in answer, answer
    assert "dans les 24 heures" not in answer
    today = Resident(servers).say("mon mari est mort hier soir")
    assert "dans les 24 heures" in today and "sans doute déjà faites" not in today


def test_a_relative_named_alone_is_no_emergency_and_the_assistant_listens(servers):
    """An elderly resident writes in fragments: « c est pour », « mon fils ». DIET read « mon
    fils » as a missing child (0.88): no emergency number, « Je vous écoute », and the next
    fragment (« il a 16 ans ») is answered."""
    resident = Resident(servers)
    resident.say("c est pour")
    answer = resident.say("mon fils")
    assert "Je vous écoute" in answer, answer
    assert not any(number in answer for number in ("17", "116 000", "112", "3919"))
    assert "recenser" in resident.say("il a 16 ans")


def test_an_address_answers_the_commune_question_whatever_the_model_reads_in_it(servers):
    """« rue des écoles à Ligny-Thilloy » after a broken street lamp: DIET reads the school in
    « écoles »; the address answers « Dans quelle commune ? » and the signalement goes on."""
    resident = Resident(servers)
    resident.say("le lampadaire devant chez moi ne marche plus")
    answer = resident.say("rue des ecoles a ligny thilloy")
    assert "services de Ligny-Thilloy" in answer, answer
    assert "lieu : rue des ecoles" in answer
    assert "école" not in answer.lower()


def test_a_street_in_a_commune_outside_the_territory_is_said_outside(servers):
    resident = Resident(servers)
    resident.say("la rue est pleine de nids de poule devant chez moi")
    answer = resident.say("rue de l eglise a Morchies")
    assert "Morchies ne fait pas partie des 26 communes" in answer, answer


def test_who_asks_to_leave_a_message_writes_it_at_once(servers):
    """« je voudrais laisser un message » : no « Voulez-vous laisser un message ? »; what comes
    next is the message, even when DIET reads another topic in it (here the justice referral);
    a contact given instead of a service is kept, and the message is sent with a reference."""
    resident = Resident(servers)
    answer = resident.say("je voudrais laisser un message a la mairie de Behagnies")
    assert "Écrivez votre message ici" in answer, answer
    assert "Voulez-vous laisser un message" not in answer
    answer = resident.say("c est pour savoir si je peux mettre une caravane dans mon jardin")
    assert "C'est noté : service urbanisme, votre message" in answer, answer
    assert "justice" not in answer
    answer = resident.say("Marie Durand marie.durand@example.org")
    assert "caravane dans mon jardin" in answer and "marie.durand@example.org" in answer, answer
    answer = resident.say("envoyer")
    assert re.search(r"DEM-\d{4}-\d{6}", answer), answer


def test_where_the_couple_lived_answers_the_commune_after_a_death(servers):
    """« on habitait warlencourt »: past tense, yet the answer to « Dans quelle commune ? » and
    a commune of ours (Warlencourt-Eaucourt), never « Je ne connais pas la commune … »."""
    resident = Resident(servers)
    resident.say("il est decede hier a l hopital d arras")
    answer = resident.say("on habitait warlencourt")
    assert "Warlencourt-Eaucourt" in answer, answer
    assert "Je ne connais pas" not in answer
    answer = resident.say("pour l enterrement au village comment on fait")
    assert "Pour le cimetière de Warlencourt-Eaucourt" in answer, answer


def test_a_second_need_asked_as_an_indirect_question_is_answered_too(servers):
    """« je voudrais savoir quand passe le camion … et aussi si la mairie est ouverte samedi »:
    the bins were lost; both are answered, the second announced."""
    answer = Resident(servers).say(
        "bonjour je voudrais savoir quand passe le camion poubelle a favreuil et aussi si la "
        "mairie est ouverte samedi"
    )
    assert "À Favreuil, les ordures ménagères sont ramassées" in answer, answer
    assert "Votre autre question : « si la mairie est ouverte samedi »" in answer
    assert "la mairie de Favreuil est fermée" in answer


def test_yes_after_a_document_not_found_leads_to_a_message_that_is_sent(servers):
    """« oui » after « Je n'ai pas trouvé ce document … la mairie peut vous l'envoyer »: the
    offer of a message, then the form; the request written for « quel service ? » is the
    message itself, and it is sent with a reference."""
    resident = Resident(servers)
    resident.say("vous avez le compte rendu du dernier conseil municipal de grevillers ?")
    answer = resident.say("oui")
    assert "Voulez-vous laisser un message écrit à la mairie" in answer, answer
    assert "Que voulez-vous savoir" not in answer
    answer = resident.say("oui")
    assert "quel service de la mairie de Grévillers" in answer, answer
    answer = resident.say("c'est pour avoir le pv du conseil de novembre")
    assert "Choisissez un service" not in answer
    answer = resident.say("0612345678")
    assert "Message : c'est pour avoir le pv du conseil de novembre" in answer, answer
    assert re.search(r"DEM-\d{4}-\d{6}", resident.say("envoyer"))


def test_a_name_typed_for_the_contact_of_a_signalement_is_no_invalid_phone(servers):
    resident = Resident(servers)
    resident.say("le lampadaire devant chez moi ne marche plus, 12 rue de la gare a beugnatre")
    answer = resident.say("martin dupont")
    assert "Merci, Martin Dupont" in answer and "ne semble pas valide" not in answer, answer
    answer = resident.say("0611223344")
    assert "Pour vous répondre : 06 11 22 33 44" in answer, answer


def test_a_mobile_home_in_the_garden_is_urbanism_even_when_the_model_is_lost(servers):
    """DIET read the PACS (0.08): the cue « mobil home … droit » names urbanism."""
    answer = Resident(servers).say(
        "ma voisine a mis un mobil home dans son jardin a martinpuich elle a le droit ?"
    )
    assert "déclaration préalable" in answer, answer
    assert "Pacs" not in answer and "Vouliez-vous dire" not in answer


def test_a_detail_or_i_dont_know_after_the_commune_question_keeps_the_topic(servers):
    """« pour un anniversaire » after « Dans quelle commune ? » about the salle: the question
    comes back, then the commune gets the salle's answer; « je sais pas » gets the general
    answer, as « non » does."""
    resident = Resident(servers)
    resident.say("je veux louer la salle")
    answer = resident.say("pour un anniversaire")
    assert "Dans quelle commune habitez-vous" in answer, answer
    assert "Vouliez-vous dire" not in answer
    assert "Salle des fêtes de Bancourt" in resident.say("c'est a bancourt")
    other = Resident(servers)
    other.say("je veux louer la salle")
    answer = other.say("je sais pas")
    assert "La location de la salle des fêtes se fait auprès de la mairie" in answer, answer
    assert "Sans votre commune" in answer


def test_a_fallen_tree_on_the_road_is_a_signalement_with_its_place(servers):
    """DIET hesitated (« Vouliez-vous dire »); the cue « arbre … tombé … route » says it."""
    answer = Resident(servers).say("y a un arbre tombe sur la route entre bancourt et fremicourt")
    assert "Je peux transmettre votre signalement" in answer, answer
    assert "lieu : route entre bancourt et fremicourt" in answer


def test_a_wedding_to_come_gets_the_file_and_the_bans_not_a_copy_of_an_act(servers):
    """« on se marie en août à Beugnâtre, faut faire quoi » : DIET read a commune answer (0.80);
    the marriage file, then its papers and its delay as follow-ups."""
    resident = Resident(servers)
    answer = resident.say("slt on se marie en aout a beugnatre, faut faire quoi")
    assert "Pour vous marier, déposez un dossier" in answer, answer
    assert "C'est noté : vous habitez" not in answer
    assert "témoins" in resident.say("c quoi les papiers")
    assert "10e jour" in resident.say("et il faut s'y prendre combien de temps avant")
    copy = Resident(servers).say("il me faut une copie de mon acte de mariage")
    assert "Pour un acte de mariage" in copy and "Pour vous marier" not in copy


def test_help_with_papers_names_the_france_services_office(servers):
    """« j'ai besoin d'aide pour mes papiers » (an elderly resident): DIET had no topic. After
    the commune, the France Services office that helps, then the mairie's contact."""
    resident = Resident(servers)
    answer = resident.say("j'ai besoin d'aide pour mes papiers")
    assert "Dans quelle commune" in answer, answer
    answer = resident.say("grevillers")
    assert "Espace France Services de Bapaume" in answer, answer
    assert "Mairie de Grévillers" in answer


def test_home_help_for_an_elderly_mother_is_the_ccas_and_the_apa(servers):
    """DIET read the CPAM (orientation, 1.0): home help is asked at the mairie's CCAS. The
    answer holds everywhere: said before the commune is asked, then the mairie's card."""
    resident = Resident(servers)
    first = resident.say("ma mere a 88 ans elle a besoin d'une aide a domicile, a qui s'adresser")
    assert "centre communal d'action sociale (CCAS)" in first, first
    assert "dans quelle commune habitez-vous" in first
    answer = resident.say("elle habite a bucquoy")
    assert "ameli" not in answer and "Mairie de Bucquoy" in answer, answer


def test_help_that_holds_everywhere_comes_before_the_commune_question(servers):
    """The school bus, a lost pet: the national answer first, the commune for the mairie's
    card only; « non » still leaves with the answer. A bare « parler à
    quelqu'un » has no national part: the commune first."""
    resident = Resident(servers)
    first = resident.say("bonjour comment on inscrit mon fils au bus scolaire pour le college")
    assert "Région Hauts-de-France" in first and "dans quelle commune habitez-vous" in first
    assert "certificat d'inscription" not in first, first
    answer = resident.say("on habite a achiet le petit")
    assert "Mairie d'Achiet-le-Petit" in answer and "Région" not in answer, answer
    other = Resident(servers)
    assert "I-CAD" in other.say("on a perdu notre chat")
    closing = other.say("non")
    assert "Sans votre commune" in closing and "I-CAD" in closing, closing
    bare = Resident(servers).say("je voudrais parler a quelqu un")
    assert bare.startswith("Pour bien vous répondre"), bare


def test_vaux_is_how_residents_write_vaulx_vraucourt(servers):
    answer = Resident(servers).say("les horaires de la mairie de vaux")
    assert "Vaulx-Vraucourt" in answer, answer
    assert "Dans quelle commune" not in answer


def test_a_greeting_with_a_question_in_it_is_not_answered_hello(servers):
    """DIET read « bonjour » (0.48) in a question about a parking fine: « Bonjour ! Posez votre
    question » would ignore it. The fine is named by its words: the ANTAI, not the mairie (DIET
    read the health insurance for « amende pour stationnement »)."""
    answer = Resident(servers).say(
        "bonjour, j'ai recu une amende de stationnement a bapaume, c'est la mairie ?"
    )
    assert "La mairie ne traite pas les amendes" in answer and "antai.gouv.fr" in answer, answer
    assert "Posez votre question en quelques mots" not in answer
    fine = Resident(servers).say(
        "jai recu une amende pour stationnement a bapaume je conteste comment"
    )
    assert "45 jours" in fine and "ameli" not in fine, fine
    assert "Je suis Tchatche" in Resident(servers).say("bonjour madame")


def test_the_plu_not_in_the_ged_says_where_to_consult_it(servers):
    answer = Resident(servers).say("ou je peux trouver le plu de favreuil")
    assert "geoportail-urbanisme.gouv.fr" in answer, answer
    assert "conseil municipal" not in answer
    # where to consult it first, then what the mairie can send: no « not found » to open with
    assert answer.index("geoportail") < answer.index("Je n'ai pas d'extrait du PLU de Favreuil")
    assert "Je n'ai pas trouvé ce document" not in answer


def test_two_questions_with_their_dates_get_both_answers(servers):
    """The first question asked by its question mark only (« … le 24 décembre ? et … ») was not
    cut off: the collection was answered for the 24th, the mairie forgotten."""
    answer = Resident(servers).say(
        "la mairie de bucquoy est ouverte le 24 decembre ? et le camion poubelle passe a noel ?"
    )
    first, _, second = answer.partition(
        "Votre autre question : « le camion poubelle passe a noel ? »"
    )
    assert "la mairie de Bucquoy est fermée" in first, answer
    assert "(Noël) est férié" in second, answer


@pytest.mark.parametrize(
    ("question", "first", "then"),
    [
        (  # the price before the menu
            "la cantine de la petite c'est combien par repas a achiet le grand",
            "Le prix du repas est fixé par la commune",
            "Le menu de la cantine",
        ),
        (  # when the mayor receives, before the list of the élus
            "quand est ce que le maire de martinpuich recoit",
            "reçoivent en général sur rendez-vous",
            "Le maire de Martinpuich",
        ),
        (  # the age, before the enrolment (DIET read the justice)
            "a partir de quel age on peut aller en maternelle a bucquoy",
            "De 3 à 5 ans, l'enfant va à l'école maternelle",
            "inscrivez d'abord votre enfant à la mairie",
        ),
    ],
)
def test_an_aspect_asked_in_the_opening_question_is_answered_first(servers, question, first, then):
    answer = Resident(servers).say(question)
    assert first in answer and then in answer, answer
    assert answer.index(first) < answer.index(then)


def test_the_end_of_a_pacs_is_not_its_registration(servers):
    """« se dépacser »: the joint declaration (Cerfa 15789) to the mairie that registered the
    Pacs, and its follow-ups (where, an appointment), not the steps to get pacsed."""
    resident = Resident(servers)
    answer = resident.say("on s est pacsé l an dernier, comment on fait pour se depacser")
    assert "déclaration conjointe de dissolution" in answer and "15789" in answer, answer
    assert "commissaire de justice" in answer
    assert "Cerfa n° 15726" not in answer and "Prendre rendez-vous" not in resident.buttons
    resident.say("a Bapaume")
    answer = resident.say("ca se fait ou")
    assert "mairie qui a enregistré votre Pacs" in answer, answer
    answer = resident.say("faut prendre rdv ?")
    assert "pas besoin de rendez-vous" in answer, answer


def test_a_reason_given_to_the_offer_of_a_message_is_that_message(servers):
    """« c pour un problème de voisinage » to « Voulez-vous laisser un message ? »: the form
    opens with it as the message, not the justice referral DIET read."""
    resident = Resident(servers)
    resident.say("je voudrais un rdv avec le maire de Bihucourt")
    answer = resident.say("c pour un probleme de voisinage")
    assert "C'est noté : votre message" in answer, answer
    assert "point-justice" not in answer
    answer = resident.say("Paul Martin 0612121212")
    assert "Message : c pour un probleme de voisinage" in answer, answer


def test_contacting_the_mairie_about_something_offers_a_message(servers):
    """« contacter la mairie … pour un problème de fosse septique »: the mairie's address, and
    a message to leave with that subject, so a « oui » opens the form."""
    resident = Resident(servers)
    answer = resident.say(
        "bonjour je souhaiterais contacter la mairie de Grevillers pour un probleme de fosse "
        "septique"
    )
    assert territory().by_name("Grévillers").mairie.telephone in answer, answer
    assert "Voulez-vous laisser un message écrit à la mairie ?" in answer
    answer = resident.say("oui")
    assert "C'est noté : service services techniques, votre message" in answer, answer


def test_yes_to_being_kept_informed_asks_for_the_contact(servers):
    """« oui » to « Voulez-vous être tenu au courant ? » is no invalid address; and « chez
    moi » ends the place of the report."""
    resident = Resident(servers)
    answer = resident.say("rue d arras chez moi a Bihucourt il y a un nid de poule enorme")
    assert "lieu : rue d arras." in answer, answer
    answer = resident.say("oui")
    assert "Écrivez votre adresse e-mail ou votre numéro de téléphone" in answer, answer
    assert "ne semble pas valide" not in answer
    answer = resident.say("0612345678")
    assert "Pour vous répondre : 06 12 34 56 78" in answer, answer


def test_the_earliest_slot_is_taken_when_any_will_do(servers):
    """« le plus tôt possible » when slots are offered: the first one, then the name."""
    resident = Resident(servers)
    resident.say("rdv carte d identite")
    offered = resident.say("Bapaume")
    first = resident.buttons[0]
    assert "Les prochains créneaux" in offered, offered
    answer = resident.say("le plus tot possible")
    assert "À quel nom dois-je noter le rendez-vous ?" in answer, answer
    resident.say("Paul Martin")
    answer = resident.say("0612345678")
    assert first in answer, answer


def test_a_surface_in_the_opening_question_is_answered_first_and_once(servers):
    """« une extension de 30 m² »: the thresholds by surface before the usual answer. For a
    pool, whose own answer already gives its thresholds, they are not said twice."""
    answer = Resident(servers).say("je vais faire une extension de ma maison de 30m2 a Bapaume")
    assert answer.index("Cela dépend de la surface créée") < answer.index(
        "L'autorisation dépend de vos travaux"
    ), answer
    answer = Resident(servers).say(
        "slt je vx faire une piscine hors sol de 12m2 dans mon jardin a Bucquoy faut declarer ?"
    )
    assert answer.count("10 m² ou moins") == 1, answer


def test_no_to_the_summary_sends_nothing_and_a_second_no_cancels(servers):
    """« non » to « Je l'envoie ? » is heard: nothing sent, Modifier or Annuler; « non » again
    cancels, and the resident is told nothing was sent."""
    resident = Resident(servers)
    resident.say(
        "un camion a renversé le panneau stop au carrefour de la rue principale a Behagnies"
    )
    assert "Je l'envoie à la mairie de Béhagnies ?" in resident.say("non")
    answer = resident.say("non")
    assert "rien n'est envoyé pour l'instant" in answer, answer
    answer = resident.say("non")
    assert "Rien n'a été envoyé" in answer, answer


def test_a_greeting_before_a_question_about_the_assistant_is_that_question(servers):
    answer = Resident(servers).say("bonjour, c'est un robot ?")
    assert "assistant automatique" in answer and "Je ne suis pas une personne" in answer, answer


def test_a_place_made_precise_where_the_contact_is_asked_stays_in_the_report(servers):
    """« c'est devant le numéro 12 » when the contact is asked: the place gets it, the form goes
    on (it was left, and the contact then read as a wish to talk to the mairie)."""
    resident = Resident(servers)
    resident.say("ya un trou enorme sur la route de Bapaume a Favreuil")
    answer = resident.say("c est devant le numero 12")
    assert "lieu : route de Bapaume, devant le numero 12" in answer, answer
    assert "Je laisse ce formulaire de côté" not in answer
    answer = resident.say("Jean Durand jean.durand@mail.fr")
    assert "Lieu : route de Bapaume, devant le numero 12" in answer, answer
    assert "Pour vous répondre : jean.durand@mail.fr" in answer


def test_send_to_the_offer_of_a_message_opens_the_form(servers):
    """« envoyer » to « Voulez-vous laisser un message ? » (DIET read the CAF)."""
    resident = Resident(servers)
    resident.say("je voudrais parler a quelqu un de la mairie de Morval")
    answer = resident.say("envoyer")
    assert "Votre message concerne quel service de la mairie de Morval" in answer, answer


def test_yes_to_which_document_asks_again_and_a_kind_named_is_another_document(servers):
    """« oui » to « Lequel voulez-vous ? » gets the choice again (not « Que voulez-vous
    savoir ? »); « les arrêtés » then is a document request for the same commune."""
    resident = Resident(servers)
    resident.say("le pv du conseil de bapaume")
    answer = resident.say("oui")
    assert "Lequel ? Choisissez un des documents proposés" in answer, answer
    assert len(resident.buttons) == 2
    resident.say("les arretes")
    sent = [r for r in resident.replies if (r.get("custom") or {}).get("document")]
    assert sent, resident.replies


def test_a_question_about_street_lights_asks_the_problem_then_takes_its_place_too(servers):
    """« qui s'occupe de l'éclairage public ? » asks, it reports nothing: the form asks what the
    problem is; the answer names the street too, so the place is not asked again."""
    resident = Resident(servers)
    answer = resident.say("qui s occupe de l eclairage public a Bapaume")
    assert "Quel est le problème ?" in answer, answer
    answer = resident.say("il y a un lampadaire qui clignote rue de la gare")
    assert "Où est-ce ?" not in answer, answer
    answer = resident.say("non")
    assert "Lieu : rue de la gare" in answer, answer
    assert "Problème : il y a un lampadaire qui clignote rue de la gare" in answer


def test_a_permit_question_about_a_tree_is_not_answered_with_surfaces(servers):
    """« il faut un permis » in the opening question does not bring the thresholds by surface
    (only a surface said does: « un garage de 30 m² »)."""
    answer = Resident(servers).say(
        "faut il un permis pour abattre un arbre dans mon jardin a Morval"
    )
    assert "Cela dépend de la surface créée" not in answer, answer
    answer = Resident(servers).say(
        "on voudrait construire un garage de 30m2 a cote de la maison a bihucourt, faut un permis ?"
    )
    assert "Cela dépend de la surface créée" in answer, answer


def test_a_story_told_in_fragments_is_heard_once_more_then_answered(servers):
    """« c'est pour mon mari », « il est tombé malade »: the second fragment, not understood, is
    heard (« Je vous écoute ») instead of a menu; the question that follows is answered."""
    resident = Resident(servers)
    resident.say("bonjour")
    assert "Je vous écoute" in resident.say("c'est pour mon mari")
    answer = resident.say("il est tombé malade")
    assert "Je vous écoute" in answer and "pas bien compris" not in answer, answer
    answer = resident.say("il faut refaire sa carte d'identité mais il peut pas se déplacer")
    assert "Une maladie grave vous empêche de vous déplacer" in answer, answer


def test_it_is_urgent_after_a_passport_is_the_urgent_passport_not_the_emergency_numbers(servers):
    """« c urgent » alone after a passport asks for a passport in a hurry. The same words with
    no topic, or with a danger in them, still get the emergency numbers first."""
    resident = Resident(servers)
    first = resident.say("mon passeport expire dans 2 mois je pars aux usa en fevrier")
    # The passport's own rule first, not the identity card's « dans l'année qui précède ».
    assert "Un passeport peut être refait avant sa date de fin" in first, first
    assert "l'année qui précède" not in first, first
    answer = resident.say("c urgent")
    assert "passeport tempor" in answer and "112" not in answer, answer
    assert "112" in Resident(servers).say("c'est urgent")
    resident = Resident(servers)
    resident.say("mon passeport expire bientot")
    assert "112" in resident.say("c urgent, mon mari fait un malaise")


def test_yes_to_the_contact_question_asks_for_it_once_then_sends(servers):
    """« oui » to « Comment la mairie peut-elle vous répondre ? »: one short request for the
    contact (not the question again under it), then the summary with the number given."""
    resident = Resident(servers)
    resident.say("je voudrais parler au maire de Grevillers")
    resident.say("c'est pour savoir si je peux construire un abri de jardin")
    answer = resident.say("oui")
    assert "Écrivez votre adresse e-mail ou votre numéro de téléphone" in answer, answer
    assert "Comment la mairie peut-elle vous répondre" not in answer, answer
    answer = resident.say("Paul Martin 0611223344")
    assert "06 11 22 33 44" in answer and "Je l'envoie à la mairie" in answer, answer


def test_a_name_and_an_email_typed_before_the_slot_are_kept_and_not_asked_again(servers):
    """« Durand Sophie » then an e-mail, written where the slot is asked: both kept, the slot
    asked again, and the summary comes as soon as a slot is chosen."""
    resident = Resident(servers)
    resident.say("je voudrais un rdv pour mon passeport a Bapaume")
    assert "C'est noté : Durand Sophie" in resident.say("Durand Sophie")
    assert "Il reste à choisir le créneau" in resident.say("sophie.durand@exemple.fr")
    answer = resident.say("1")
    assert "Au nom de : Durand Sophie" in answer, answer
    assert "Pour vous joindre : sophie.durand@exemple.fr" in answer, answer


def test_more_about_the_problem_where_the_contact_is_asked_is_kept_with_it(servers):
    """« c'est profond et dangereux pour les vélos » is no invalid address: it joins the
    problem, and the contact is asked again."""
    resident = Resident(servers)
    resident.say("je veux signaler un nid de poule rue de la gare a achiet le grand")
    answer = resident.say("c est profond et dangereux pour les velos")
    assert "ne semble pas valide" not in answer, answer
    assert "Voulez-vous être tenu au courant" in answer
    summary = resident.say("non")
    assert "Un nid de poule rue de la gare a achiet le grand. C est profond" in summary, summary


def test_changing_ones_mind_at_the_slots_offered_stops_the_booking(servers):
    """« non en fait c bon » to the slots: nothing booked, the mairie's contact; not the slots
    again."""
    resident = Resident(servers)
    resident.say("je voudrais un rdv pour un passeport a bapaume")
    answer = resident.say("non en fait c bon")
    assert "Rien n'a été envoyé" in answer, answer
    assert "Les prochains créneaux" not in answer


def test_the_one_before_is_the_same_kind_just_older(servers):
    """« et le précédent » after Bucquoy's last council: its minutes before, then the ones
    before those; at Vaulx-Vraucourt, whose GED has one, it says there is none older."""
    resident = Resident(servers)
    resident.say("le pv du dernier conseil de bucquoy")
    before = resident.say("et le precedent")
    assert "Procès-verbal du conseil municipal du 2 juillet 2026" in before, before
    older = resident.say("et celui d avant")
    assert "Procès-verbal du conseil municipal du 12 mars 2026" in older, older
    other = Resident(servers)
    other.say("je cherche le pv du dernier conseil de vaulx")
    none = other.say("et celui d avant ?")
    assert "Je n'ai pas de document plus ancien de ce genre" in none, none


def test_writing_to_the_mayor_is_a_message_not_a_meeting(servers):
    """« je veux écrire au maire »: DIET read the élus (0.12); a message to the mairie, whose
    form asks the message at once; a meeting with the mayor stays a meeting."""
    resident = Resident(servers)
    resident.say("ok je veux ecrire au maire")
    answer = resident.say("bapaume")
    assert "Écrivez votre message ici" in answer, answer
    assert "reçoivent sur rendez-vous" not in answer
    other = Resident(servers)
    other.say("je voudrais un rendez vous avec le maire pour parler de mon terrain")
    assert "reçoivent sur rendez-vous" in other.say("Bancourt")


def test_a_question_on_the_title_mid_booking_is_answered_and_the_booking_goes_on(servers):
    """« il faut quoi comme papiers ? » while the slots are offered: the passport's answer,
    then the same slots again; the booking is not left (« rien n'a été envoyé »)."""
    resident = Resident(servers)
    resident.say("je veux prendre rdv pour un passeport a Bapaume")
    answer = resident.say("au fait il faut quoi comme papiers ?")
    assert "photo d'identité" in answer, answer
    assert "Reprenons votre demande" in answer
    assert "Les prochains créneaux" in answer
    assert "rien n'a été envoyé" not in answer
    answer = resident.say("c'est combien ?")
    assert "86 €" in answer and "Les prochains créneaux" in answer, answer
    answer = resident.say("le premier")
    assert "À quel nom" in answer, answer


def test_saying_who_the_booking_is_for_mid_booking_keeps_the_booking(servers):
    """« c pour ma fille de 12 ans » at the choice of a slot is no slot, but it changes what the
    resident must know: the child comes too, fingerprints from 12. Answered, then the same
    slots; « elle doit venir ? » is answered in place too. The booking used to be left."""
    resident = Resident(servers)
    resident.say("je voudrais un rdv pour une carte d identite a Bapaume")
    answer = resident.say("c pour ma fille de 12 ans")
    assert "Dès 12 ans, les empreintes" in answer, answer
    assert "Les prochains créneaux" in answer and "rien n'a été envoyé" not in answer, answer
    answer = resident.say("elle doit venir ?")
    assert "l'enfant vient" in answer and "Les prochains créneaux" in answer, answer
    assert "rien n'a été envoyé" not in answer, answer
    answer = resident.say("le premier")
    assert "À quel nom" in answer, answer


def test_a_follow_up_that_leaves_a_form_is_answered_once_then_waits(servers):
    """A follow-up the booking's topic cannot answer leaves the form; its answer comes once and
    the assistant waits (it used to say « pas bien compris » until Rasa's limit)."""
    resident = Resident(servers)
    resident.say("je veux prendre rdv pour un passeport a Bapaume")
    resident.say("le premier")
    answer = resident.say("et la caution ?")
    assert "rien n'a été envoyé" in answer, answer
    assert "pas bien compris" not in answer, answer
    answer = resident.say("horaires de la mairie de Bapaume")
    assert "Horaires habituels de la mairie de Bapaume" in answer, answer


def test_a_resident_ill_at_ease_hears_take_your_time_and_the_themes(servers):
    """« je suis agée et je comprend pas bien internet » asks nothing yet: DIET reads a follow-up
    with no topic (0.61), whose answer « De quel sujet parlez-vous ? » sounds like a reproach."""
    resident = Resident(servers)
    answer = resident.say("bonjour je suis agée et je comprend pas bien internet")
    assert "Prenez votre temps" in answer and "assistant automatique" in answer, answer
    assert "De quel sujet" not in answer
    assert "Horaires de la mairie" in resident.buttons
    assert "Bapaume" in resident.say("les horaires de la mairie de bapaume")


def test_a_booking_to_move_is_not_introduced_as_a_new_booking(servers):
    """« j'ai un rdv … je peux pas venir » manages the booking: no « Je peux réserver votre
    rendez-vous » before « Quel est le numéro du rendez-vous ? »."""
    resident = Resident(servers)
    resident.say(
        "j'ai un rdv pour ma carte d'identité mais je peux pas venir, je voudrais le déplacer"
    )
    answer = resident.say("Bapaume")
    assert "retrouver votre rendez-vous pour l'annuler ou le déplacer" in answer, answer
    assert "Je peux réserver" not in answer and "C'est noté" not in answer
    assert "numéro du rendez-vous" in answer
    booking = Resident(servers).say("je voudrais un rdv pour mon passeport a bapaume")
    assert "Je peux réserver votre rendez-vous" in booking, booking


def test_a_street_named_after_the_road_in_front_of_home_is_the_place(servers):
    """« un trou dans la route devant chez moi rue de l'eglise a bihucourt »: the place of the
    signalement is the street named, not « route devant »."""
    resident = Resident(servers)
    answer = resident.say(
        "y a un trou enorme dans la route devant chez moi rue de l'eglise a bihucourt"
    )
    assert "lieu : rue de l'eglise" in answer, answer
    assert "lieu : route devant" not in answer


def test_an_identity_card_for_my_son_says_what_changes_for_a_minor_first(servers):
    """« une carte d'identité pour mon fils »: the child comes with a parent, said before the
    usual answer; « et pour ma fille ? » after a passport gets the same."""
    resident = Resident(servers)
    answer = resident.say(
        "je voudrais faire une carte d'identité pour mon fils, on habite a warlencourt"
    )
    assert "Pour un mineur, l'enfant vient au guichet avec un parent" in answer, answer
    assert answer.index("Pour un mineur") < answer.index("prenez rendez-vous")
    assert "mairie de Bapaume" in answer
    resident = Resident(servers)
    resident.say("je voudrais faire un passeport a bapaume")
    assert "avec un parent ou son tuteur" in resident.say("et pour ma fille ?")


def test_a_date_given_to_the_commune_question_gets_the_question_with_an_example(servers):
    """« pour le 12 juin » answers « Dans quelle commune ? » with no commune: the question comes
    back once with an example of what to write, then the commune gets the salle's answer."""
    resident = Resident(servers)
    first = resident.say("je voudrais reserver la salle des fetes")
    assert "Dans quelle commune habitez-vous" in first and "par exemple" not in first, first
    again = resident.say("pour le 12 juin")
    assert "Écrivez seulement son nom, par exemple : Bapaume" in again, again
    assert "Salle des fêtes de Bancourt" in resident.say("bancourt")


def test_two_needs_that_both_wait_for_the_commune_are_both_answered_once_it_is_given(servers):
    """« les horaires de la mairie et comment refaire mon passeport », then « bapaume »: the
    commune was asked once, for both; it answers the passport, then the hours, announced as the
    other question. The next message is not followed by the hours again."""
    resident = Resident(servers)
    first = resident.say(
        "je voudrais savoir les horaires de la mairie et aussi comment refaire mon passeport"
    )
    assert first.count("dans quelle commune habitez-vous ?") == 1, first
    answer = resident.say("bapaume")
    assert "La mairie de Bapaume prend les demandes" in answer, answer
    announced = "Votre autre question : « je voudrais savoir les horaires de la mairie »"
    assert announced in answer, answer
    assert answer.index("prend les demandes") < answer.index(announced)
    assert "Horaires habituels de la mairie de Bapaume" in answer, answer
    assert "Horaires habituels" not in resident.say("merci")


def test_a_waiting_need_is_dropped_when_the_resident_asks_something_else(servers):
    """The commune question is answered by another question: that one is answered, and the
    hours asked before are not added to it."""
    resident = Resident(servers)
    resident.say(
        "je voudrais savoir les horaires de la mairie et aussi comment refaire mon passeport"
    )
    answer = resident.say("en fait c'est quand la collecte des poubelles a bancourt ?")
    assert "Votre autre question" not in answer, answer
    assert "Horaires habituels" not in answer, answer


def test_a_head_count_said_as_we_are_is_checked_against_the_salle(servers):
    """« on est 80 » after the salle of Frémicourt (60 places): too small, not « pas compris »."""
    fremicourt = territory().by_name("Frémicourt")
    assert fremicourt.salle_des_fetes.capacite < 80
    resident = Resident(servers)
    resident.say("je voudrais reserver la salle des fetes de fremicourt pour un anniversaire")
    answer = resident.say("on est 80")
    assert "Pour 80 personnes" in answer and "trop petite" in answer, answer


def test_how_long_after_a_building_permit_is_the_permits_delay(servers):
    """« c long ? » after the building permit: the months the mairie has, not the filing again."""
    resident = Resident(servers)
    resident.say("comment je fais pour avoir un permis de construire pour un garage a bancourt")
    answer = resident.say("c long ?")
    assert "permis de construire d'une maison individuelle : 2 mois" in answer, answer
    assert "récépissé" not in answer


def test_christmas_trees_are_green_waste_and_the_holidays_are_their_two_public_holidays(servers):
    """« la collecte des sapins de Noël » asks about trees, not about the 25 December; « pendant
    les vacances de Noël » is Christmas and New Year's Day, not Christmas alone."""
    resident = Resident(servers)
    answer = resident.say("c'est quand la collecte des sapins de noel a bapaume ?")
    assert "un sapin naturel est un déchet vert" in answer, answer
    assert "reportée" not in answer, answer
    resident = Resident(servers)
    answer = resident.say("la dechetterie de bapaume est ouverte pendant les vacances de noel ?")
    assert "25 décembre" in answer and "1er janvier" in answer, answer


def test_neighbours_dog_barking_all_night_is_neighbourhood_noise_not_a_street_report(servers):
    """A dog barking at night is a neighbourhood noise: the steps (talk, write, the mairie, the
    gendarmerie), not the form for a broken street lamp; then « je peux appeler les
    gendarmes ? » is answered for the noise."""
    resident = Resident(servers)
    answer = resident.say(
        "il y a un chien qui aboie toute la nuit chez mon voisin a ligny thilloy c insupportable"
    )
    assert "Pour un bruit de voisinage" in answer, answer
    assert "Quel est le problème" not in answer
    answer = resident.say("je peux appeler les gendarmes ?")
    assert "constater le tapage" in answer, answer


def test_help_with_the_housework_for_an_elderly_mother_is_home_help(servers):
    """Fragments of an elderly person's situation, then « elle a besoin d aide pour le menage »:
    the home help (aide ménagère, APA), not the list of what the assistant can do."""
    resident = Resident(servers)
    resident.say("ma mere est agee et vit seule a achiet le petit")
    answer = resident.say("elle a besoin d aide pour le menage")
    assert "aide à domicile" in answer, answer
    assert "Je peux vous aider pour les démarches" not in answer


def test_an_adult_son_registering_with_france_travail_is_not_school(servers):
    """« mon fils a 18 ans il veut s inscrire a france travail »: France Travail, the office
    nearest to the commune, never the school enrolment that « inscrire mon fils » also reads as
    (DIET, 0.55): the words of an outside body win over a topic DIET is unsure of."""
    answer = Resident(servers).say(
        "mon fils a 18 ans il veut s inscrire a france travail, on habite beugnatre"
    )
    assert "France Travail" in answer and "Pour Beugnâtre, le bureau le plus proche" in answer
    assert "école maternelle" not in answer, answer


def test_what_do_we_do_after_a_found_cat_is_the_found_animals_steps(servers):
    """« qu est ce qu on fait » after a found cat: what to do, not « I am not a person »."""
    resident = Resident(servers)
    resident.say("on a trouve un chat errant rue de bapaume chez nous a favreuil")
    answer = resident.say("qu est ce qu on fait")
    assert "pas une personne" not in answer, answer
    assert "vétérinaire" in answer or "fourrière" in answer, answer


def test_burning_green_waste_is_answered_without_the_hedges_planting_distances(servers):
    """« je peux brûler mes déchets verts ? » (read as the hedges): forbidden, the déchetterie,
    not the Code civil's planting distances that nobody asked; « et les branches de thuya ? »
    goes on with the burning, not the hedges' whole answer."""
    resident = Resident(servers)
    answer = resident.say(
        "je voudrais faire bruler mes dechets verts dans mon jardin a achiet le grand c autorisé ?"
    )
    assert "est interdit" in answer and "450 €" in answer, answer
    assert "Code civil" not in answer, answer
    answer = resident.say("et les branches de thuya ?")
    assert "est interdit" in answer, answer
    assert "Code civil" not in answer, answer
    hedges = Resident(servers).say(
        "bjr je voudrais savoir pour la taille des haies chez mon voisin"
    )
    assert "Code civil" in hedges and "450 €" not in hedges, hedges


def test_a_birth_date_after_the_census_gives_that_childs_dates_not_a_birth(servers):
    """« il est né le 12 mars 2011 » after the recensement: the dates of that child (16 on 12 March
    2027, at the latest 30 June), not « Félicitations pour ce bébé ! » and the birth declaration;
    « il aura 16 ans en mars » in the question gets them first."""
    resident = Resident(servers)
    resident.say("bonjour je voudrais faire le recensement de mon fils a bapaume")
    answer = resident.say("il est né le 12 mars 2011")
    assert "16 ans le 12 mars 2027" in answer and "30 juin 2027" in answer, answer
    assert "Félicitations" not in answer, answer
    answer = Resident(servers).say(
        "bonjour, quand est ce que je dois faire le recensement de mon fils, il aura 16 ans en mars"
    )
    assert "16 ans en mars 2027" in answer and "30 juin 2027" in answer, answer
    assert answer.index("30 juin 2027") < answer.index("Tout jeune Français"), answer
    late = Resident(servers)
    late.say("recensement de ma fille on habite bancourt")
    answer = late.say("elle est nee le 5 aout 2010")
    assert "Le délai est passé depuis le 30 novembre 2026" in answer, answer


def test_yes_send_it_after_the_collection_calendar_sends_it_again(servers):
    """« oui envoyez le » after the bins' answer, which carried the calendar: the calendar again,
    not « Que voulez-vous savoir ? »."""
    resident = Resident(servers)
    resident.say("salut je cherche le calendrier des poubelles")
    first = resident.say("c pour warlencourt")
    assert re.findall(r"/d/[\w-]+", first), first
    again = resident.say("oui envoyez le")
    assert re.findall(r"/d/[\w-]+", again), again
    assert "Calendrier de collecte" in again, again


def test_a_message_to_write_with_its_subject_goes_straight_to_the_form(servers):
    """« je veux écrire à la mairie de Sapignies pour demander l'élagage d'un arbre … »: the
    subject is written, the service is read in it; only the contact is asked, then the summary
    and a reference number. It showed the mairie's card and asked to write the message again."""
    resident = Resident(servers)
    answer = resident.say(
        "bonjour je veux ecrire a la mairie de sapignies pour demander l elagage d un arbre "
        "qui touche les fils electriques rue de bapaume"
    )
    assert "Écrivez votre message ici" not in answer, answer
    assert "quel service" not in answer, answer
    summary = resident.say("jean.dupuis@example.fr")
    assert "Services techniques" in summary, summary
    assert "jean.dupuis@example.fr" in summary and "Je l'envoie" in summary, summary
    sent = resident.say("envoyer")
    assert re.search(r"DEM-\d{4}-\d{6}", sent), sent


def test_only_an_email_to_the_offer_of_a_message_is_a_yes_with_that_contact(servers):
    """« jean.dupuis@example.fr » to « Voulez-vous laisser un message ? » (after a found dog):
    the message form, with that contact; DIET read a residence permit."""
    resident = Resident(servers)
    offer = resident.say("j ai trouve un chien perdu a bancourt")
    assert "Voulez-vous laisser un message" in offer, offer
    answer = resident.say("jean.dupuis@example.fr")
    assert "titre" not in answer.lower() and "préfecture" not in answer.lower(), answer
    assert "service" in answer or "Voici votre message" in answer, answer


def test_who_declares_a_birth_at_home_is_answered_not_the_whole_birth_again(servers):
    """« qui doit la declarer » after a birth at home: who declares, not the congratulations and
    the whole answer again."""
    resident = Resident(servers)
    resident.say("bonjour, mon epouse vient d accoucher a la maison a le sars, c est une fille")
    answer = resident.say("qui doit la declarer")
    assert "En général, c'est le père" in answer, answer
    assert "Félicitations" not in answer, answer


def test_the_commune_named_by_the_second_need_answers_the_first_too(servers):
    """« le menu de la cantine cette semaine et la mairie de Bucquoy ouvre quand »: the hours of
    Bucquoy, then the menu of Bucquoy's school, not « Dans quelle commune habitez-vous ? »."""
    answer = Resident(servers).say(
        "c quoi le menu de la cantine cette semaine et la mairie de bucquoy ouvre quand"
    )
    assert "Horaires habituels de la mairie de Bucquoy" in answer, answer
    assert "Votre autre question : « c quoi le menu de la cantine cette semaine »" in answer
    assert "École primaire de Bucquoy" in answer, answer
    assert "dans quelle commune habitez-vous" not in answer.lower(), answer


def test_an_address_with_a_question_gets_the_answer_not_only_the_commune_noted(servers):
    """« j habite rue de bapaume a favreuil, c est quand le tri »: DIET read the commune alone
    (0.92) and the question was lost; it is the collection of Favreuil (not Bapaume's)."""
    answer = Resident(servers).say("j habite rue de bapaume a favreuil, c est quand le tri")
    assert "À Favreuil, les ordures ménagères sont ramassées" in answer, answer
    assert "Posez votre question" not in answer, answer


def test_a_dumping_told_with_bins_and_a_commune_opens_the_report(servers):
    """Issue 14's « dumping under signalements »: the bags and the mattress are what was
    dumped, not a question on the collection; the form keeps the message and asks where."""
    answer = Resident(servers).say(
        "quelqu'un a balance des sacs poubelles et un matelas au bord du chemin a sapignies"
    )
    assert "Je peux transmettre votre signalement aux services de Sapignies" in answer, answer
    assert "Où est-ce ?" in answer
    assert "les ordures ménagères sont ramassées" not in answer


def test_ashes_in_the_jardin_du_souvenir_are_answered_first(servers):
    answer = Resident(servers).say(
        "je voudrais disperser les cendres de mon mari dans le jardin du souvenir"
    )
    assert "le jardin du souvenir du cimetière" in answer, answer
    assert answer.index("cendres") < answer.index("concession"), answer


def test_an_urgent_passport_asked_in_the_first_message_is_answered_first(servers):
    """« … est-ce qu'on peut en avoir un en urgence ? »: the urgent departure first."""
    answer = Resident(servers).say(
        "ma fille part en voyage scolaire en angleterre mi-janvier et son passeport est perime, "
        "est-ce qu'on peut en avoir un en urgence ?"
    )
    assert "passeport temporaire" in answer, answer
    assert answer.index("passeport temporaire") < answer.index("Pour un passeport, prenez")


def test_a_follow_up_of_the_first_of_two_needs_asked_at_once(servers):
    """The lists and the bins asked in one message, then « on peut faire l'inscription en
    ligne ? »: the lists' follow-up (DIET read the school's enrolment), and the next one too."""
    resident = Resident(servers)
    resident.say(
        "Bonjour ! On vient d'emménager à Bancourt avec mon compagnon, on arrive de Lille. Je "
        "voudrais savoir comment on s'inscrit sur les listes électorales et quel jour passent "
        "les poubelles"
    )
    online = resident.say("on peut faire l'inscription en ligne ?")
    assert "inscrivez-vous en ligne sur service-public.gouv.fr" in online, online
    assert "école" not in online
    deadline = resident.say("et c'est quoi la date limite pour pouvoir voter ?")
    assert "le 6e mercredi avant le premier tour" in deadline, deadline
    assert "procuration" not in deadline


def test_a_wished_day_in_the_booking_s_first_message_is_offered(servers):
    """Issue 14's « forms that listen »: « mercredi matin si possible » in the message that opens
    the booking gives Wednesday morning's slots, not the first free ones on Monday."""
    resident = Resident(servers)
    resident.say(
        "Bonjour, je voudrais prendre rendez-vous à la mairie de Bapaume pour refaire mon "
        "passeport, mercredi matin si possible"
    )
    offered = resident.buttons
    assert offered and all(b.startswith("mercredi 23 décembre à") for b in offered), offered


def test_a_day_asked_after_a_topic_in_the_same_message_is_answered_after_it(servers):
    """« … déposer un permis de construire à la mairie de Béhagnies. Est-ce que je peux passer le
    mercredi 30 décembre ? »: the permit, then that day at the mairie (closed for the feasts)."""
    answer = Resident(servers).say(
        "Bonjour, je dois déposer un dossier de permis de construire à la mairie de Béhagnies. "
        "Est-ce que je peux passer le mercredi 30 décembre ?"
    )
    assert "permis de construire" in answer, answer
    assert "Le mercredi 30 décembre, la mairie de Béhagnies est fermée" in answer
    assert answer.index("permis de construire") < answer.index("mercredi 30 décembre, la mairie")


def test_name_and_phone_after_the_booking_s_first_sentence_fill_the_form(servers):
    """Issue 14's « forms that listen »: « Je m'appelle …, mon numéro est … » after the booking's
    first sentence are its answers, not a second need; « le premier créneau du matin » then
    takes the first morning slot offered, not the 1st of January."""
    resident = Resident(servers)
    answer = resident.say(
        "Bonjour, je souhaiterais prendre rendez-vous à la mairie de Bapaume pour faire un "
        "passeport. Je m'appelle Karim Benali, mon numéro est le 06 45 78 12 90. Demain matin si "
        "possible."
    )
    assert "au nom de Karim Benali" in answer, answer
    assert "Votre autre question" not in answer
    assert resident.buttons[0] == "mardi 22 décembre à 9 h", resident.buttons
    answer = resident.say("le premier créneau du matin ça me va")
    assert "Quand : mardi 22 décembre à 9 h" in answer, answer
    assert "1er janvier" not in answer


def test_a_short_question_after_a_story_stays_with_the_story(servers):
    """« … une véranda de 15 m² contre la maison. Faut-il une autorisation ? »: the works, one
    need (the short question alone was read as a death, 0.54, the works second)."""
    answer = Resident(servers).say(
        "Bonjour, nous habitons Beaulencourt et nous aimerions faire construire une véranda "
        "d'environ 15 m² contre la maison, côté jardin. Faut-il une autorisation ?"
    )
    assert "Pour 15 m² : une déclaration préalable." in answer, answer
    assert "Votre autre question" not in answer
    assert "condoléances" not in answer


def test_two_questions_after_a_story_are_two_needs_for_its_commune(servers):
    """« Nous venons d'emménager à Bucquoy … Quel jour passe le camion …, et est-ce qu'il y a une
    cantine ? »: the collection at Bucquoy, then the canteen; the move itself was not asked."""
    answer = Resident(servers).say(
        "Bonjour, nous venons d'emménager à Bucquoy avec nos deux enfants. Quel jour passe le "
        "camion des ordures ménagères, et est-ce qu'il y a une cantine à l'école ?"
    )
    assert "ordures ménagères sont ramassées le mercredi" in answer, answer
    assert "Votre autre question : « est-ce qu'il y a une cantine à l'école ? »" in answer
    assert "cantine" in answer.split("Votre autre question")[1]
    assert "Dans quelle commune" not in answer
    assert "Par quoi voulez-vous commencer" not in answer


def test_a_death_s_act_asked_after_the_hours_is_the_act_and_free(servers):
    """A death, the mairie's hours, then « il faudra des actes de deces pr la banque et le
    notaire, c payant ? »: the act named is the question (not a follow-up of the hours)."""
    resident = Resident(servers)
    resident.say("Bonjour. Mon papa est decede cette nuit a la maison a Bihucourt.")
    resident.say("la mairie est ouverte quand ?")
    answer = resident.say("il faudra des actes de deces pr la banque et le notaire, c payant ?")
    assert "Pour un acte de décès" in answer and "C'est gratuit" in answer, answer
    assert "Je n'ai pas cette précision" not in answer


def test_a_neighbour_who_will_not_listen_gets_the_remedies_first(servers):
    """« … une haie de 4 mètres qui déborde, il veut rien entendre, je peux faire quoi »: the
    remedies (letter, conciliator, court) before the planting distances."""
    answer = Resident(servers).say(
        "mon voisin a une haie de 4 metres qui deborde chez moi a douchy, jlui ai dit 10 fois il "
        "veut rien entendre, je peux faire quoi"
    )
    assert answer.index("conciliateur de justice") < answer.index("Le Code civil"), answer


def test_a_problem_told_in_two_halves_is_one_signalement(servers):
    """« y a qqn qui a balancé des sacs poubelle et un vieux frigo … à achiet le grand »: one
    dumping, reported at Achiet-le-Grand (« achiet » alone would be either Achiet)."""
    answer = Resident(servers).say(
        "bjr y a qqn qui a balance des sacs poubelle et un vieux frigo dans le chemin derriere "
        "le stade a achiet le grand, ca fait 3 jours que c la"
    )
    assert "Achiet-le-Grand" in answer, answer
    assert "Votre autre question" not in answer
    assert "Achiet-le-Petit" not in answer


def test_the_slot_chosen_with_name_and_phone_goes_to_the_summary(servers):
    """« 9h20 c'est parfait. Je suis Marie Dufour, 06 12 34 56 78 »: the slot, the name and the
    phone at once; the summary follows, and the name is not asked again."""
    resident = Resident(servers)
    resident.say("Bonjour, je voudrais prendre rendez-vous pour faire mon passeport à Bapaume.")
    offered = resident.say("mercredi matin, le 23 si possible")
    assert "9 h 20" in offered or "9 h 20" in " ".join(resident.buttons), offered
    answer = resident.say("9h20 c'est parfait. Je suis Marie Dufour, 06 12 34 56 78")
    assert "Marie Dufour" in answer and "06 12 34 56 78" in answer, answer
    assert "Je le réserve ?" in answer
    assert "À quel nom" not in answer
    answer = resident.say("oui")
    assert "Votre rendez-vous est confirmé : mercredi 23 décembre à 9 h 20" in answer, answer


def test_the_day_of_the_first_part_is_the_hours_question_s(servers):
    """« … passer demain à la mairie … pour déposer notre dossier de PACS. Est-ce ouvert ? »:
    the Pacs, then the hours of that day (« Est-ce ouvert demain ? »)."""
    answer = Resident(servers).say(
        "Bonjour, mon compagnon et moi voudrions passer demain à la mairie de Douchy-lès-Ayette "
        "pour déposer notre dossier de PACS. Est-ce ouvert ?"
    )
    assert "Pacs" in answer, answer
    assert "Votre autre question : « Est-ce ouvert demain ? »" in answer
    assert "Demain, mardi 22 décembre, la mairie de Douchy-lès-Ayette" in answer


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (  # a question in a story DIET cannot read at all (0.17): its question cue
            "bjr ma fille et son copain veulent se marier a ligny en aout, ya quoi a faire ? ils "
            "habitent ici tous les 2",
            "Pour vous marier, déposez un dossier à la mairie",
        ),
        (  # thuyas against the fence: the hedge's distances (DIET at 0.40)
            "Bonjour, j'habite Bucquoy depuis trente ans. Mon nouveau voisin a planté des thuyas "
            "collés à mon grillage, ils font déjà près de 4 mètres et je n'ai plus de soleil dans "
            "ma cuisine. Qu'est-ce que dit la loi ?",
            "2 mètres",
        ),
        (  # a day in the story (« a eu 16 ans samedi ») is no day for a question after it
            "Bonjour. Mon fils a eu 16 ans samedi, on m'a dit qu'il devait se faire recenser. On "
            "doit aller où et quand ?",
            "à la mairie du domicile",
        ),
        (  # the hours come with the phone: « elle ouvre quand ? » often means « when to call »
            "la mairie de warlencourt ouvre quand ?",
            "Téléphone : 03 53 01 00 35",
        ),
        (  # an elderly widow's fragments: the pension de réversion, and the Carsat near her
            "bonjour. madame Leroy. 84 ans. Ligny Thilloy. mon mari. parti en novembre. sa "
            "retraite. je fais comment",
            "pension de réversion",
        ),
        (  # « les ordures c le vendredi, le 1er janvier … ? »: the collection moved that day
            "bjr a riencourt les ordures c le vendredi, le 1er janvier ils passent quand meme ?",
            "reportée au samedi 2 janvier",
        ),
    ],
)
def test_one_message_gets_its_answer(servers, message, said):
    answer = Resident(servers).say(message)
    assert said in answer, answer
