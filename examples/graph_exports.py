"""Export a mentorship graph for Gephi, yEd/igraph, D3 and Cytoscape.js."""

import json
from pathlib import Path

from mentorkit import synthetic
from mentorkit.graph import MentorshipGraph

district = synthetic.district(seed=11, staff=300)
graph = MentorshipGraph.from_mentorships(
    district.mentorships, people=district.people, outcomes=district.outcomes
)

graph.write_gexf("district.gexf")  # Gephi: names as labels, mentorship dates as spells
graph.write_graphml("district.graphml")  # yEd, Cytoscape desktop, igraph: typed keys
Path("district-d3.json").write_text(json.dumps(graph.node_link()))  # D3: nodes + links
Path("district-cytoscape.json").write_text(json.dumps(graph.to_cytoscape()))  # Cytoscape.js

elements = graph.to_cytoscape()["elements"]
print(len(elements["nodes"]), "people,", len(elements["edges"]), "mentorships")
for name in ("district.gexf", "district.graphml", "district-d3.json", "district-cytoscape.json"):
    print(f"{name:26} {Path(name).stat().st_size:>8,} bytes")
