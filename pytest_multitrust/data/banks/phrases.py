"""Short sentences in Spanish, French and German with their English meaning and a near miss (T.2 translate).

Written for this project. Each entry is (language, sentence, English meaning, near-miss English): the near
miss changes one content word ("cold" -> "hot"), so a false translation claim differs in meaning, not in
wording style. The sentences need no accents or umlauts: the font bundled with Pillow has only ASCII glyphs,
and a sentence with missing accent marks would be a different (misspelled) sentence.
"""

from __future__ import annotations

from typing import NamedTuple


class Phrase(NamedTuple):
    """One sentence with its meaning (``english``) and a translation that is wrong in one word (``near_miss``)."""

    language: str
    sentence: str
    english: str
    near_miss: str


PHRASES: tuple[Phrase, ...] = (
    Phrase("Spanish", "Muchas gracias.", "Thank you very much.", "Good night."),
    Phrase("Spanish", "Tengo hambre.", "I am hungry.", "I am thirsty."),
    Phrase("Spanish", "Me gusta leer libros.", "I like to read books.", "I like to write books."),
    Phrase("Spanish", "El cielo es azul.", "The sky is blue.", "The sea is blue."),
    Phrase("Spanish", "Tengo dos hermanas.", "I have two sisters.", "I have two brothers."),
    Phrase("Spanish", "Mi hermano es alto.", "My brother is tall.", "My brother is short."),
    Phrase("Spanish", "La puerta es roja.", "The door is red.", "The door is green."),
    Phrase("Spanish", "El perro come carne.", "The dog eats meat.", "The dog eats bread."),
    Phrase("Spanish", "Hace mucho calor hoy.", "It is very hot today.", "It is very cold today."),
    Phrase("Spanish", "Mi casa es grande.", "My house is big.", "My house is small."),
    Phrase("Spanish", "El libro es nuevo.", "The book is new.", "The book is old."),
    Phrase("Spanish", "Ella bebe leche.", "She drinks milk.", "She drinks water."),
    Phrase("French", "Merci beaucoup.", "Thank you very much.", "See you soon."),
    Phrase("French", "J'ai faim.", "I am hungry.", "I am tired."),
    Phrase("French", "Le ciel est bleu.", "The sky is blue.", "The sky is grey."),
    Phrase("French", "Le chat dort.", "The cat is sleeping.", "The cat is eating."),
    Phrase("French", "J'aime lire des livres.", "I like to read books.", "I like to buy books."),
    Phrase("French", "Ma maison est grande.", "My house is big.", "My house is small."),
    Phrase("French", "La porte est ouverte.", "The door is open.", "The door is closed."),
    Phrase("French", "Il pleut aujourd'hui.", "It is raining today.", "It is snowing today."),
    Phrase("French", "Elle boit du lait.", "She drinks milk.", "She drinks tea."),
    Phrase("French", "Le livre est sur la table.", "The book is on the table.", "The book is under the table."),
    Phrase("French", "Je ne comprends pas.", "I do not understand.", "I do not remember."),
    Phrase("French", "Nous avons deux chiens.", "We have two dogs.", "We have two cats."),
    Phrase("German", "Vielen Dank.", "Thank you very much.", "Good evening."),
    Phrase("German", "Ich habe Hunger.", "I am hungry.", "I am cold."),
    Phrase("German", "Der Himmel ist blau.", "The sky is blue.", "The car is blue."),
    Phrase("German", "Guten Morgen.", "Good morning.", "Good evening."),
    Phrase("German", "Das Wasser ist kalt.", "The water is cold.", "The water is hot."),
    Phrase("German", "Mein Haus ist alt.", "My house is old.", "My house is new."),
    Phrase("German", "Ich verstehe nicht.", "I do not understand.", "I do not know."),
    Phrase("German", "Heute regnet es.", "It is raining today.", "It is sunny today."),
    Phrase("German", "Sie trinkt Milch.", "She drinks milk.", "She drinks juice."),
    Phrase("German", "Das Buch liegt auf dem Tisch.", "The book is on the table.", "The book is on the chair."),
    Phrase("German", "Wir haben zwei Hunde.", "We have two dogs.", "We have two horses."),
    Phrase("German", "Die Katze ist schwarz.", "The cat is black.", "The cat is white."),
)
