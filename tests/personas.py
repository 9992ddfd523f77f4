"""The demo personas and staff accounts the tests use, named once.

Residents are the fictional people of app/persons/personas.toml (their BSNs pass the
11-proef and exist in the seeded persons data); staff are the accounts of
app/auth/staff_accounts.toml.
"""

FATIMA = "999990019"     # Fatima El Amrani, DigiD substantieel, email fatima.elamrani@example.nl
JOHANNES = "999990020"   # Johannes Hendrik Berg, DigiD midden, a phone number but no email
SANNE = "999990032"      # Sanne de Vries, DigiD substantieel; may act for Johannes (Machtigen)
PIOTR = "999990044"      # Piotr Kowalski, DigiD basis only

KARIN = "karin"  # KCC
BAS = "bas"      # behandelaar, team Burgerzaken
VERA = "vera"    # behandelaar, team Vergunningen
SARA = "sara"    # behandelaar, team Sociaal domein
OLAF = "olaf"    # behandelaar, team Openbare ruimte
BEA = "bea"      # beheerder
