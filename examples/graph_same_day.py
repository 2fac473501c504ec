"""Genealogy metrics when every relationship starts on one day: a genealogy and a peer circle."""

import datetime as dt
import random

from mentorkit.graph import MentorshipGraph
from mentorkit.model import Mentorship, MentorshipKind

undated = dt.date(2000, 1, 1)  # relationships imported without start dates

# An advisor-student genealogy: each student's advisor graduated before them.
rng = random.Random(3)
pairs = [(f"d{rng.randrange(i)}", f"d{i}") for i in range(1, 400)]
genealogy = [
    Mentorship(id=f"g{i}", mentor_id=a, mentee_id=s, start=undated)
    for i, (a, s) in enumerate(pairs)
]
table = MentorshipGraph.from_mentorships(genealogy).metrics()
print("Largest lineages (all relationships on one day):")
for row in table.top(3, by="descendants"):
    print(f"  {row.person_id}: {row.descendants} descendants, depth {row.depth}, "
          f"g-index {row.genealogical_index}, {row.cousins} cousins")

# The same genealogy dated generation by generation gives the same metrics.
generation = {"d0": 0}
for a, s in pairs:
    generation[s] = generation[a] + 1
dated = [
    Mentorship(id=m.id, mentor_id=m.mentor_id, mentee_id=m.mentee_id,
               start=undated + dt.timedelta(days=365 * generation[m.mentor_id]))
    for m in genealogy
]
assert MentorshipGraph.from_mentorships(dated).metrics() == table
print("Dated by generation: the same metrics.")

# A peer circle: 30 colleagues, everyone mentoring everyone from one day.
circle = [f"peer{i}" for i in range(30)]
peers = [
    Mentorship(id=f"{a}-{b}", mentor_id=a, mentee_id=b, start=undated, kind=MentorshipKind.PEER)
    for a in circle for b in circle if a != b
]
row = MentorshipGraph.from_mentorships(peers).metrics()["peer0"]
print(f"Peer circle of {len(circle)}: {row.descendants} descendants, longest chain {row.depth} "
      f"(every one of the {len(peers)} mentorships once)")
