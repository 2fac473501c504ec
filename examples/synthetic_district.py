"""Build a deterministic synthetic district and print what it holds."""

from mentorkit import synthetic

district = synthetic.district(seed=7, staff=400, years=3)
print(district.summary())
