"""Build a tiny program by hand, serialise it, and read it back."""

import datetime as dt

import mentorkit as mk

mentor = mk.Person(id="p-ana", name="Ana Ruiz", title="Principal")
mentee = mk.Person(id="p-ben", name="Ben Okafor", title="Teacher Leader", supervisor_id="p-ana")
mentorship = mk.Mentorship(
    id="ms-1",
    mentor_id=mentor.id,
    mentee_id=mentee.id,
    start=dt.date(2024, 9, 3),
    kind=mk.MentorshipKind.ONE_TO_ONE,
)
session = mk.Session(
    id="s-1",
    mentorship_id="ms-1",
    start=dt.datetime(2024, 9, 17, 15, 30, tzinfo=dt.UTC),
    minutes=180,
    activity=mk.Activity.PROBLEM_OF_PRACTICE,
)
for entity in (mentor, mentee, mentorship, session):
    text = mk.to_json(entity)
    assert mk.from_json(text) == entity
    print(text)

try:
    mk.Mentorship(id="ms-2", mentor_id="p-ben", mentee_id="p-ben", start=dt.date(2024, 9, 3))
except mk.ValidationError as err:
    print("refused:", err)
