"""The mentorship graph of a synthetic district: lineages, genealogy metrics, cohorts, export."""

from pathlib import Path

from mentorkit import synthetic
from mentorkit.graph import MentorshipGraph, cohort_report

district = synthetic.district(seed=11, staff=800, years=5, sessions_per_mentorship=0)
graph = MentorshipGraph.from_mentorships(
    district.mentorships, people=district.people, outcomes=district.outcomes
)
print(graph)

table = graph.metrics()
print("\nTop mentors by reach (students reached by them and their descendants):")
for row in table.top(5, by="reach"):
    name = graph.people[row.person_id].name
    print(
        f"  {name:<18} reach {row.reach:>8,.0f}  descendants {row.descendants:>3}  "
        f"depth {row.depth}  fecundity {row.fecundity}  fertility {row.fertility}  "
        f"g-index {row.genealogical_index}"
    )

best = table.top(1, by="descendants")[0]
lineage = graph.lineage(best.person_id)
print(f"\nLineage of {graph.people[best.person_id].name}:")
for generation, people in lineage.generations.items():
    print(f"  generation {generation}: {len(people)} people")

print("\nWent on to mentor by the end of the following school year, by cohort:")
for row in cohort_report(graph, within_years=1):
    if row.paid_forward is None or row.pay_it_forward_rate is None:
        went_on = f"not yet known ({row.mentees} mentees)"  # its window outruns the data
    else:
        went_on = f"{row.paid_forward:>3} of {row.mentees:>3} ({row.pay_it_forward_rate:.0%})"
    print(f"  {row.group}: {went_on}, promoted {row.promotion_rate:.0%}")

out = Path("district.graphml")
graph.pseudonymise(key="example key, keep yours secret").write_graphml(out)
print(f"\nWrote {out} (pseudonymised, no personal data) for Gephi.")
