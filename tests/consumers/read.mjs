// Load a mentorkit export in a JavaScript consumer and print what it saw as JSON.
//   node read.mjs gexf FILE       graphology-gexf (strict: refuses what it cannot read)
//   node read.mjs cytoscape FILE  headless Cytoscape.js, from the elements JSON
import { readFileSync } from "node:fs";
import { DOMParser } from "@xmldom/xmldom";

const [kind, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");

if (kind === "gexf") {
  globalThis.DOMParser = DOMParser;
  const { MultiDirectedGraph } = await import("graphology");
  const gexf = (await import("graphology-gexf")).default;
  const graph = gexf.parse(MultiDirectedGraph, text, { allowUndeclaredAttributes: false });
  const nodes = {};
  graph.forEachNode((id, attrs) => { nodes[id] = attrs; });
  const edges = {};
  graph.forEachEdge((id, attrs, source, target) => { edges[id] = { source, target, ...attrs }; });
  console.log(JSON.stringify({ nodes, edges }));
} else if (kind === "cytoscape") {
  const cytoscape = (await import("cytoscape")).default;
  const data = JSON.parse(text);
  const cy = cytoscape({ headless: true, styleEnabled: false, elements: data.elements });
  const nodes = {};
  cy.nodes().forEach((n) => { nodes[n.id()] = n.data(); });
  const edges = {};
  cy.edges().forEach((e) => { edges[e.id()] = { source: e.source().id(), target: e.target().id(), ...e.data() }; });
  const roots = cy.nodes().roots().map((n) => n.id());
  console.log(JSON.stringify({ nodes, edges, roots }));
} else {
  console.error(`unknown kind ${kind}`);
  process.exit(2);
}
