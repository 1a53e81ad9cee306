"""Dutch and English function words that a word cloud does not count. Pure data."""

from __future__ import annotations

DUTCH = frozenset(
    """
aan af al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun ik in is
ja je jij jou jouw jullie kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
nog nu of om omdat ons onze ook op over reeds te tegen toch toen tot u uit uw van veel voor
want waren was wat we wel werd wezen wie wij wil worden wordt zal ze zei zelf zich zij zijn zo
zonder zou
""".split()
)

ENGLISH = frozenset(
    """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves
""".split()
)

STOP_WORDS = DUTCH | ENGLISH
